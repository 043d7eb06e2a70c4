import { ConfigError } from "@orderly/kit/config";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

/** These tests are about the service's own variables; the kit tests the AUTH_* ones. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;

describe("inventory config", () => {
  it("when nothing is set, then inventory's ports and a seven-day reservation TTL swept every 30 s apply", () => {
    const config = loadConfig(AUTH_OFF);
    expect(config).toMatchObject({
      service: "inventory",
      http: { port: 8081 },
      grpc: { port: 50052 },
      databaseUrl: "pglite:.data/inventory",
      extra: { RESERVATION_TTL_SECONDS: 604_800, RESERVATION_SWEEP_INTERVAL_MS: 30_000 },
    });
  });

  it("when the reservation variables are not positive whole numbers, then ConfigError names each", () => {
    let error: unknown;
    try {
      loadConfig({ ...AUTH_OFF, RESERVATION_TTL_SECONDS: "0", RESERVATION_SWEEP_INTERVAL_MS: "soon" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
      "RESERVATION_SWEEP_INTERVAL_MS",
      "RESERVATION_TTL_SECONDS",
    ]);
  });
});
