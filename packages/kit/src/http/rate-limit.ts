import { createRequire } from "node:module";
import type fastifyRateLimit from "@fastify/rate-limit";
import type { RateLimitOptions } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { type CallLimiter, rateLimitedError, rateLimitKey } from "../auth/index.ts";

export interface RateLimitSettings {
  /** Requests per subject (or IP) per minute; 0 turns the limiter off. */
  perMinute: number;
  /** Counters in Redis, shared by every replica; in this process's memory without it. */
  redis?: Redis;
}

type Handler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Rate limiting with @fastify/rate-limit: one in-memory (or Redis) store for every route and for
 * the gRPC server (through the returned CallLimiter), so a subject's budget is spent the same
 * whichever transport it calls. It runs as a preHandler, after authentication (onRequest) has set
 * `request.principal`. A route overrides the budget with `config: { rateLimit: { max } }` (its own
 * counter) or opts out with `config: { rateLimit: false }` (health, metrics, openapi do).
 * Over budget: 429 problem+json RATE_LIMITED with Retry-After and the draft RateLimit-* headers.
 * Returns undefined when the limiter is off (`perMinute` 0).
 */
export function setUpRateLimit(app: FastifyInstance, settings: RateLimitSettings): CallLimiter | undefined {
  if (settings.perMinute <= 0) return undefined;
  const limiter = installRateLimit(app, settings);
  limiters.set(app, limiter);
  return limiter;
}

/** The gRPC side of the server's limiter (same counters); undefined when limits are off. */
export function rateLimiterOf(app: FastifyInstance): CallLimiter | undefined {
  return limiters.get(app);
}

const limiters = new WeakMap<FastifyInstance, CallLimiter>();

function installRateLimit(app: FastifyInstance, settings: RateLimitSettings): CallLimiter {
  const keyOf = (request: FastifyRequest): string => {
    const key = rateLimitKey({ principal: request.principal, ip: request.ip });
    // A route with its own budget keeps its own counter (the plugin's Redis namespace for such
    // routes does not include the route, so the key must).
    const override = request.routeOptions?.config?.rateLimit;
    return override ? `${key}|${request.method} ${request.routeOptions.url}` : key;
  };
  const options: RateLimitOptions & Record<string, unknown> = {
    global: false,
    max: settings.perMinute,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    hook: "preHandler",
    enableDraftSpec: true,
    keyGenerator: keyOf,
    // A Redis outage must not take the API down with it: requests pass unlimited meanwhile.
    skipOnError: true,
    nameSpace: "orderly-rate-limit:",
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
      rateLimitedError(context.ttl),
    ...(settings.redis ? { redis: settings.redis } : {}),
  };
  // Loaded only with a limit set: the plugin brings ip-address (~190 KB of source) and a
  // service started with RATE_LIMIT_PER_MINUTE=0 (load tests) never uses either.
  app.register(createRequire(import.meta.url)("@fastify/rate-limit") as typeof fastifyRateLimit, options);

  // The plugin's own per-route hooks attach only to routes added after it has loaded, and services
  // add theirs before listen(). So each route gets the plugin's handler here, as its last
  // preHandler: after whatever the route (or an earlier onRoute hook, such as authentication)
  // put before it, so `request.principal` is known. Built at the first request, once loaded.
  app.addHook("onRoute", (route) => {
    const override = route.config?.rateLimit;
    if (override === false) return;
    let handler: Handler | undefined;
    const limit: Handler = (request, reply) => {
      handler ??= (override ? app.rateLimit(override) : app.rateLimit()) as unknown as Handler;
      return handler.call(app, request, reply);
    };
    route.preHandler = [...[route.preHandler ?? []].flat(), limit] as NonNullable<typeof route.preHandler>;
  });

  let check: ReturnType<FastifyInstance["createRateLimit"]> | undefined;
  return async (caller) => {
    if (!check) {
      // The plugin loads with the server; a gRPC call can arrive before HTTP listens.
      await app.ready();
      check ??= app.createRateLimit();
    }
    const result = await check({
      principal: caller.principal,
      ip: caller.ip,
      routeOptions: { config: {} },
    } as unknown as FastifyRequest);
    if (result.isAllowed || !result.isExceeded) return undefined;
    return { retryAfterMs: result.ttl };
  };
}
