import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import type { Logger } from "../log/index.ts";

/**
 * ioredis (45 modules, ~60 ms of start-up on this 2-core box) is loaded only by a service that has
 * a REDIS_URL; synchronously, as the Service constructor that calls this is.
 */
const loadRedis = (): typeof Redis =>
  (createRequire(import.meta.url)("ioredis") as typeof import("ioredis")).Redis;

/**
 * The Redis connection rate-limit counters live in when `REDIS_URL` is set. Commands never queue
 * while it is down (the limiter then lets requests through rather than holding them), and a lost
 * connection is logged once per outage, not once per retry.
 */
export function connectRateLimitStore(url: string, log: Logger): Redis {
  const redis = new (loadRedis())(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // Reconnect forever with a capped backoff: the limiter recovers when Redis does.
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    // The URL may carry a password: only its host is logged.
    log.warn(
      { err: { message: error.message }, redis: hostOf(url) },
      "rate-limit store unreachable; not limiting",
    );
  });
  redis.on("ready", () => {
    if (down) log.info({ redis: hostOf(url) }, "rate-limit store reachable again");
    down = false;
  });
  return redis;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(unparsable)";
  }
}
