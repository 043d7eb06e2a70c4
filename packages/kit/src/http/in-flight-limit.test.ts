import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { installInFlightLimit } from "./in-flight-limit.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

describe("in-flight limit", () => {
  const app = Fastify();
  const releases: (() => void)[] = [];
  const limit = installInFlightLimit(app, { maxInFlight: 2, retryAfterSeconds: 3 });
  app.get("/v1/slow", () => new Promise<string>((resolve) => releases.push(() => resolve("done"))));
  app.get("/health/ready", { config: OPERATIONAL_ROUTE_CONFIG }, () => "ready");

  afterEach(() => {
    for (const release of releases.splice(0)) release();
  });

  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  };

  it("when the limit is reached, then the next request gets 503 OVERLOADED with Retry-After, and one more fits once a request finishes", async () => {
    const first = app.inject({ method: "GET", url: "/v1/slow" });
    const second = app.inject({ method: "GET", url: "/v1/slow" });
    await until(() => releases.length === 2);
    const shed = await app.inject({ method: "GET", url: "/v1/slow" });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("3");
    expect(shed.json()).toMatchObject({ status: 503, reason: "OVERLOADED" });
    // Probes are never shed, even at the limit.
    expect((await app.inject({ method: "GET", url: "/health/ready" })).statusCode).toBe(200);
    releases.shift()?.();
    expect((await first).statusCode).toBe(200);
    await until(() => limit.inFlight === 1);
    const third = app.inject({ method: "GET", url: "/v1/slow" });
    await until(() => releases.length === 2);
    for (const release of releases.splice(0)) release();
    expect((await second).statusCode).toBe(200);
    expect((await third).statusCode).toBe(200);
    await until(() => limit.inFlight === 0);
  });
});
