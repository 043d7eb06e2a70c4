import { ConfigError } from "@orderly/kit/config";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

/** These tests are about the service's own variables; the kit tests the AUTH_* ones. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;
/** The least a start needs: with Consul off, the order service's address. */
const MINIMAL = { ...AUTH_OFF, ORDER_GRPC_ADDR: "order:50051" } as const;

describe("fulfillment config", () => {
  it("when only ORDER_GRPC_ADDR is set, then it uses ports 8083/50054, its own database and the relay defaults", () => {
    const config = loadConfig(MINIMAL);

    expect(config).toMatchObject({
      service: "fulfillment",
      http: { port: 8083 },
      grpc: { port: 50054 },
      databaseUrl: "pglite:.data/fulfillment",
      peers: { order: "order:50051" },
    });
    expect(config.extra).toEqual({
      OUTBOX_POLL_INTERVAL_MS: 500,
      OUTBOX_BATCH_SIZE: 20,
      OUTBOX_MAX_ATTEMPTS: 500,
      OUTBOX_RETRY_INITIAL_MS: 200,
      OUTBOX_RETRY_MAX_MS: 60_000,
      PEER_DEADLINE_MS: 2000,
    });
  });

  it("when neither ORDER_GRPC_ADDR nor CONSUL_HTTP_ADDR is set, then a ConfigError names ORDER_GRPC_ADDR", () => {
    const attempt = () => loadConfig(AUTH_OFF);

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow("ORDER_GRPC_ADDR");
  });

  it("when CONSUL_HTTP_ADDR is set, then ORDER_GRPC_ADDR may be left out", () => {
    const config = loadConfig({ ...AUTH_OFF, CONSUL_HTTP_ADDR: "http://consul:8500" });

    expect(config.peers).toEqual({ order: undefined });
  });

  it.each([
    [{ OUTBOX_BATCH_SIZE: "0" }, "OUTBOX_BATCH_SIZE"],
    [{ OUTBOX_POLL_INTERVAL_MS: "soon" }, "OUTBOX_POLL_INTERVAL_MS"],
    [{ OUTBOX_RETRY_INITIAL_MS: "500", OUTBOX_RETRY_MAX_MS: "100" }, "OUTBOX_RETRY_MAX_MS"],
    [{ ORDER_GRPC_ADDR: "no port" }, "ORDER_GRPC_ADDR"],
  ])("when %o, then a ConfigError names %s", (env, variable) => {
    const attempt = () => loadConfig({ ...MINIMAL, ...env });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(variable);
  });
});
