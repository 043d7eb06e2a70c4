import type { FastifyContextConfig } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { DependencyCheck } from "../health/index.ts";
import { type TestServer, testServer } from "./http.test-support.ts";

const passing = (name: string, required = true): DependencyCheck => ({
  name,
  required,
  check: async () => {},
});
const failing = (name: string, required = true): DependencyCheck => ({
  name,
  required,
  check: async () => {
    throw new Error(`${name} refused the connection`);
  },
});

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

describe("GET /health", () => {
  it("when serving and every check passes, then 200 with the report in snake_case", async () => {
    server = testServer({ checks: [passing("database")] });

    const res = await server.app.inject({ url: "/health" });

    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const body = res.json();
    expect(body).toMatchObject({
      status: "pass",
      state: "SERVING",
      service: "inventory",
      version: "1.2.3",
      instance: "inventory-1",
      checks: { database: { status: "pass", required: true } },
    });
    expect(typeof body.uptime_seconds).toBe("number");
    expect(typeof body.checks.database.latency_ms).toBe("number");
    expect(body).not.toHaveProperty("uptimeSeconds");
  });

  it("when only an optional check fails, then 200 warn with the error shown", async () => {
    server = testServer({ checks: [passing("database"), failing("consul", false)] });

    const res = await server.app.inject({ url: "/health" });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: "warn",
      checks: { consul: { status: "fail", required: false, error: "consul refused the connection" } },
    });
  });

  it("when a required check fails, then 503 fail", async () => {
    server = testServer({ checks: [failing("database")] });

    const res = await server.app.inject({ url: "/health" });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: "fail", checks: { database: { status: "fail" } } });
  });

  it("when the process is still starting, then 503 fail with the state", async () => {
    server = testServer({ state: "STARTING" });

    const res = await server.app.inject({ url: "/health" });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: "fail", state: "STARTING" });
  });
});

describe("a flood of probes", () => {
  it("when many /health and /health/ready requests arrive at once, then the dependency check runs once for them all", async () => {
    let runs = 0;
    const database: DependencyCheck = {
      name: "database",
      intervalMs: 60_000,
      check: async () => {
        runs++;
      },
    };
    server = testServer({ checks: [database] });

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => server.app.inject({ url: i % 2 ? "/health" : "/health/ready" })),
    );

    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    expect(runs).toBe(1);
    expect(typeof responses[0]?.json().checks.database.age_ms).toBe("number");
  });
});

describe("GET /health/live", () => {
  it("when serving with a failing dependency, then still 200 pass (liveness ignores dependencies)", async () => {
    server = testServer({ checks: [failing("database")] });

    const res = await server.app.inject({ url: "/health/live" });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "pass" });
  });

  it("when draining, then 200; when stopped, then 503", async () => {
    server = testServer();
    server.lifecycle.moveTo("DRAINING");
    expect((await server.app.inject({ url: "/health/live" })).statusCode).toBe(200);

    server.lifecycle.moveTo("STOPPED");
    const res = await server.app.inject({ url: "/health/live" });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: "fail" });
  });
});

describe("GET /health/ready", () => {
  it("when serving and required checks pass (an optional one failing), then 200", async () => {
    server = testServer({ checks: [passing("database"), failing("cache", false)] });

    const res = await server.app.inject({ url: "/health/ready" });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "warn", state: "SERVING" });
  });

  it("when a required check fails, then 503 with the report", async () => {
    server = testServer({ checks: [failing("database")] });

    const res = await server.app.inject({ url: "/health/ready" });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: "fail",
      checks: { database: { error: "database refused the connection" } },
    });
  });

  it("when draining, then 503 so the load balancer stops sending", async () => {
    server = testServer();
    server.lifecycle.moveTo("DRAINING");

    const res = await server.app.inject({ url: "/health/ready" });

    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ state: "DRAINING" });
  });
});

describe("operational route config", () => {
  it("when health, metrics and openapi are requested, then their routes say telemetry false and shed false; /v1 routes say neither", async () => {
    server = testServer();
    const seen = new Map<string, FastifyContextConfig>();
    server.app.addHook("onRequest", async (request) => {
      seen.set(request.url, request.routeOptions.config);
    });

    for (const url of [
      "/health",
      "/health/live",
      "/health/ready",
      "/metrics",
      "/openapi.json",
      "/v1/items/SKU-1",
    ]) {
      await server.app.inject({ url });
    }

    for (const url of ["/health", "/health/live", "/health/ready", "/metrics", "/openapi.json"]) {
      expect(seen.get(url), url).toMatchObject({ telemetry: false, shed: false });
    }
    expect(seen.get("/v1/items/SKU-1")).not.toHaveProperty("telemetry");
    expect(seen.get("/v1/items/SKU-1")).not.toHaveProperty("shed");
  });
});
