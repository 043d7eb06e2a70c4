import { afterEach, describe, expect, it, vi } from "vitest";
import { type TestServer, testServer } from "./http.test-support.ts";

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

/**
 * A server whose heap limit is one byte: overloaded from the first sample on, without blocking the
 * event loop or timing anything. Resolves once under-pressure has taken that first sample.
 */
async function overloadedServer(more: { maxEventLoopDelayMs?: number } = {}): Promise<TestServer> {
  const s = testServer({
    loadShedding: { maxHeapUsedBytes: 1, retryAfterSeconds: 2, sampleIntervalMs: 10, ...more },
  });
  await s.app.ready();
  await vi.waitFor(() => expect(s.app.isUnderPressure()).toBe(true));
  return s;
}

describe("load shedding (@fastify/under-pressure)", () => {
  it("when under its limits, then /v1 requests are served", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/SKU-1" });

    expect(res.statusCode).toBe(200);
  });

  it("when a limit is exceeded, then new /v1 requests get 503 OVERLOADED problem+json with Retry-After", async () => {
    server = await overloadedServer();

    const res = await server.app.inject({ method: "POST", url: "/v1/items/SKU-1/reservations", payload: {} });

    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("2");
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ reason: "OVERLOADED", code: "UNAVAILABLE", status: 503 });
    expect(typeof res.json().request_id).toBe("string");
  });

  it("when overloaded, then probes and scrapes still answer, and readiness says not ready with the reason", async () => {
    server = await overloadedServer();

    for (const url of ["/health/live", "/metrics"]) {
      expect((await server.app.inject({ url })).statusCode, url).toBe(200);
    }
    await server.health.report();
    const ready = await server.app.inject({ url: "/health/ready" });

    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.load).toMatchObject({ status: "fail", required: true });
    expect(ready.json().checks.load.error).toMatch(/^under pressure/);
    expect(server.health.readyNow()).toBe(false);
    expect(server.logs.filter((l) => l.msg?.startsWith("overloaded"))).toHaveLength(1);
  });

  it("when shed requests happen, then they are counted in the RED histogram as 503 on their route", async () => {
    server = await overloadedServer();
    await server.app.inject({ url: "/v1/items/SKU-1" });

    const body = (await server.app.inject({ url: "/metrics" })).body;

    expect(body).toMatch(
      /orderly_http_server_request_duration_seconds_count\{[^}]*http_route="\/v1\/items\/:sku",http_response_status_code="503"\} 1/,
    );
  });

  it("when requests are shed, then orderly_requests_shed_total counts them by transport and cause", async () => {
    // Only the heap limit: under-pressure reads a sample without event-loop data as an infinite delay.
    server = await overloadedServer({ maxEventLoopDelayMs: 0 });
    await server.app.inject({ url: "/v1/items/SKU-1" });
    await server.app.inject({ url: "/v1/items/SKU-2" });
    await server.app.inject({ url: "/health/live" });

    const body = (await server.app.inject({ url: "/metrics" })).body;

    expect(body).toMatch(/orderly_requests_shed_total\{[^}]*transport="http",cause="heap_used"[^}]*\} 2\n/);
  });

  it("when load shedding is turned off, then nothing is shed and readiness has no load check", async () => {
    server = testServer({ loadShedding: false });

    expect((await server.app.inject({ url: "/v1/items/SKU-1" })).statusCode).toBe(200);
    expect((await server.app.inject({ url: "/health" })).json().checks).not.toHaveProperty("load");
  });
});
