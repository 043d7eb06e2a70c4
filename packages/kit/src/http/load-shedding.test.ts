import { afterEach, describe, expect, it } from "vitest";
import { createEventLoopDelayMonitor } from "./event-loop-delay.ts";
import { type TestServer, testServer } from "./http.test-support.ts";

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

describe("load shedding", () => {
  it("when the event loop delay is under the threshold, then /v1 requests are served", async () => {
    server = testServer();
    server.delay.set(150);

    const res = await server.app.inject({ url: "/v1/items/SKU-1" });

    expect(res.statusCode).toBe(200);
  });

  it("when the delay exceeds the threshold, then new /v1 requests get 503 OVERLOADED with Retry-After", async () => {
    server = testServer();
    server.delay.set(250);

    const res = await server.app.inject({ method: "POST", url: "/v1/items/SKU-1/reservations", payload: {} });

    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("2");
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ reason: "OVERLOADED", code: "UNAVAILABLE", status: 503 });
  });

  it("when overloaded, then liveness, readiness, health and metrics still answer", async () => {
    server = testServer();
    server.delay.set(5_000);

    for (const url of ["/health/live", "/health/ready", "/health", "/metrics"]) {
      expect((await server.app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it("when the pressure passes, then requests are admitted again and the transitions are logged once each", async () => {
    server = testServer();
    server.delay.set(900);
    await server.app.inject({ url: "/v1/items/SKU-1" });
    await server.app.inject({ url: "/v1/items/SKU-1" });
    server.delay.set(10);

    const res = await server.app.inject({ url: "/v1/items/SKU-1" });

    expect(res.statusCode).toBe(200);
    expect(server.logs.filter((l) => l.msg?.startsWith("overloaded"))).toHaveLength(1);
    expect(server.logs.filter((l) => l.msg?.startsWith("load back to normal"))).toHaveLength(1);
  });

  it("when shed requests happen, then they are counted in the RED histogram as 503 on their route", async () => {
    server = testServer();
    server.delay.set(900);
    await server.app.inject({ url: "/v1/items/SKU-1" });
    server.delay.set(0);

    const body = (await server.app.inject({ url: "/metrics" })).body;

    expect(body).toMatch(
      /orderly_http_server_request_duration_seconds_count\{[^}]*http_route="\/v1\/items\/:sku",http_response_status_code="503"\} 1/,
    );
  });

  it("when load shedding is turned off, then nothing is shed however late the loop runs", async () => {
    server = testServer({ loadShedding: false });
    server.delay.set(60_000);

    expect((await server.app.inject({ url: "/v1/items/SKU-1" })).statusCode).toBe(200);
  });

  it("when the server becomes ready and then closes, then the delay source is started and stopped", async () => {
    server = testServer();
    await server.app.ready();
    expect(server.delay.started).toBe(true);

    await server.app.close();

    expect(server.delay.started).toBe(false);
  });
});

describe("createEventLoopDelayMonitor", () => {
  it("when not yet sampled, then it reports no delay, and it can be started and stopped twice", () => {
    const monitor = createEventLoopDelayMonitor({ sampleIntervalMs: 1_000 });

    expect(monitor.delayMs()).toBe(0);
    monitor.start();
    monitor.start();
    monitor.stop();
    monitor.stop();
    expect(monitor.delayMs()).toBe(0);
  });
});
