import { randomUUID } from "node:crypto";
import { InventoryService } from "@orderly/contracts/inventory";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { Principal } from "../auth/index.ts";
import { AppError, Code } from "../errors/index.ts";
import { client, fakeInventory, startServer, testKit } from "../grpc/test-harness.ts";
import { connectRateLimitStore } from "../service/rate-limit-store.ts";
import { testServer } from "./http.test-support.ts";
import { rateLimiterOf } from "./rate-limit.ts";

/** Stands in for bearer authentication: `x-test-subject` becomes the request's principal. */
function withSubjects(app: ReturnType<typeof testServer>["app"]): void {
  // preValidation: after the route's own onRequest hook has set the principal from its access (which
  // would overwrite this one), before the limiter's preHandler reads it.
  app.addHook("preValidation", async (request) => {
    const subject = request.headers["x-test-subject"];
    if (typeof subject === "string") request.principal = { subject, scopes: new Set() } as Principal;
  });
}

async function burst(app: ReturnType<typeof testServer>["app"], n: number, headers = {}) {
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof app.inject>> | undefined;
  for (let i = 0; i < n; i++) {
    last = await app.inject({ url: "/v1/items/SKU-1", headers });
    statuses.push(last.statusCode);
  }
  return { statuses, last: last as NonNullable<typeof last> };
}

describe("HTTP rate limit", () => {
  it("when a client spends its budget, then the next read is 429 problem+json RATE_LIMITED with Retry-After and RateLimit headers", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 3 } });
    const { statuses, last } = await burst(app, 4);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(last.json()).toMatchObject({ status: 429, reason: "RATE_LIMITED", code: "RESOURCE_EXHAUSTED" });
    const retryAfter = Number(last.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last.headers["ratelimit-limit"]).toBe("3");
    expect(last.headers["ratelimit-remaining"]).toBe("0");
    expect(Number(last.headers["ratelimit-reset"])).toBe(retryAfter);
  });

  it("when requests are within budget, then they carry RateLimit headers counting down", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 5 } });
    const first = await app.inject({ url: "/v1/items/SKU-1" });
    const second = await app.inject({ url: "/v1/items/SKU-1" });
    expect(first.headers["ratelimit-remaining"]).toBe("4");
    expect(second.headers["ratelimit-remaining"]).toBe("3");
  });

  it("when a client is over budget, then /health, /health/live, /health/ready and /metrics still answer", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 1 } });
    await burst(app, 2);
    for (const url of ["/health", "/health/live", "/health/ready", "/metrics"]) {
      for (let i = 0; i < 3; i++) expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it("when two token subjects share an address, then each has its own budget", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 2 } });
    withSubjects(app);
    expect((await burst(app, 3, { "x-test-subject": "alice" })).statuses).toEqual([200, 200, 429]);
    expect((await burst(app, 2, { "x-test-subject": "bob" })).statuses).toEqual([200, 200]);
    // Without a token the address has its own budget too.
    expect((await burst(app, 1)).statuses).toEqual([200]);
  });

  it("when a route sets its own budget in its config, then that route is limited by it and the others by the default", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 5 } });
    app.get(
      "/v1/expensive",
      { schema: { hide: true }, config: { access: "public", rateLimit: { max: 1 } } },
      async () => ({
        ok: true,
      }),
    );
    expect((await app.inject({ url: "/v1/expensive" })).statusCode).toBe(200);
    const second = await app.inject({ url: "/v1/expensive" });
    expect(second.statusCode).toBe(429);
    expect(second.headers["ratelimit-limit"]).toBe("1");
    expect((await app.inject({ url: "/v1/items/SKU-1" })).headers["ratelimit-limit"]).toBe("5");
  });

  it("when the limit is 0, then nothing is limited and no RateLimit headers are sent", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 0 } });
    const { statuses, last } = await burst(app, 20);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(last.headers["ratelimit-limit"]).toBeUndefined();
    expect(rateLimiterOf(app)).toBeUndefined();
  });
});

describe("gRPC rate limit", () => {
  it("when a caller spends its budget, then the next call is RESOURCE_EXHAUSTED with RetryInfo, and HTTP shares the same budget", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 3 } });
    const limiter = rateLimiterOf(app);
    expect(limiter).toBeDefined();
    const kit = testKit();
    const started = await startServer(
      kit,
      (server) =>
        server.add(InventoryService, fakeInventory({ getItem: async () => ({ item: { sku: "A" } }) })),
      limiter ? { limiter } : {},
    );
    const inventory = client(kit, InventoryService, started.target, { retry: { maxAttempts: 1 } });
    await inventory.getItem({ sku: "A" });
    await inventory.getItem({ sku: "A" });
    // The third unit of 127.0.0.1's budget goes to HTTP.
    expect((await app.inject({ url: "/v1/items/SKU-1" })).statusCode).toBe(200);
    const error = await inventory.getItem({ sku: "A" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, reason: "RATE_LIMITED" });
    const retryAfterMs = (error as AppError).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it("when a caller is over budget, then grpc.health.v1 still answers", async () => {
    const { app } = testServer({ rateLimit: { perMinute: 1 } });
    const limiter = rateLimiterOf(app);
    const kit = testKit();
    const started = await startServer(
      kit,
      (server) => server.add(InventoryService, fakeInventory({ getItem: async () => ({}) })),
      limiter ? { limiter } : {},
    );
    const inventory = client(kit, InventoryService, started.target, { retry: { maxAttempts: 1 } });
    await inventory.getItem({ sku: "A" });
    await expect(inventory.getItem({ sku: "A" })).rejects.toMatchObject({ code: Code.RESOURCE_EXHAUSTED });
    const { Health: HealthService } = await import("@orderly/contracts/grpc-health");
    const health = client(kit, HealthService, started.target);
    await expect(health.check({ service: "" })).resolves.toMatchObject({ status: 1 });
  });
});

describe("rate limit store unreachable", () => {
  it("when REDIS_URL points at nothing, then requests pass unlimited and the outage is logged once, without the URL's password", async () => {
    const { log, lines } = testKit();
    const redis = connectRateLimitStore("redis://user:s3cret@127.0.0.1:1", log);
    try {
      const { app } = testServer({ rateLimit: { perMinute: 1, redis } });
      const { statuses } = await burst(app, 3);
      expect(statuses).toEqual([200, 200, 200]);
      // Two failed reconnects later, still one warning. (events.once would reject on "error".)
      await new Promise<void>((resolve) => {
        let reconnects = 0;
        redis.on("reconnecting", () => ++reconnects === 2 && resolve());
      });
      const warnings = lines.filter((l) => l.msg.startsWith("rate-limit store unreachable"));
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain("s3cret");
    } finally {
      redis.disconnect();
    }
  });
});

const REDIS_URL = "redis://127.0.0.1:6379";
const redisUp = await (async () => {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();

describe.skipIf(!redisUp)("rate limit in Redis (127.0.0.1:6379)", () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(connections.map((r) => r.quit()));
  });

  it("when two replicas count in Redis, then a subject's budget is spent across both", async () => {
    const a = testServer({ rateLimit: { perMinute: 3, redis: connect() } });
    const b = testServer({ rateLimit: { perMinute: 3, redis: connect() } });
    withSubjects(a.app);
    withSubjects(b.app);
    // A fresh subject per run: counters outlive the test for up to a minute.
    const headers = { "x-test-subject": `redis-test-${randomUUID()}` };
    expect((await burst(a.app, 2, headers)).statuses).toEqual([200, 200]);
    const { statuses, last } = await burst(b.app, 2, headers);
    expect(statuses).toEqual([200, 429]);
    expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
  });
});
