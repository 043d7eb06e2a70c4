import type { Counter } from "prom-client";
import { AppError, Code } from "../errors/index.ts";
import type { Metrics } from "../metrics/index.ts";

/** The reason of a request or call refused because the instance is overloaded (HTTP and gRPC). */
export const OVERLOADED_REASON = "OVERLOADED";

/**
 * What shed a request, as the `cause` label of orderly_requests_shed_total: a process reading over
 * its limit, or the admission limit (`in_flight`, static or adaptive alike).
 */
export type ShedCause = "event_loop_delay" | "in_flight" | "heap_used" | "rss";

/** Requests and calls refused by load shedding, per transport ("http", "grpc") and cause. */
export function requestsShedCounter(metrics: Metrics): Counter<"transport" | "cause"> {
  return metrics.counter(
    "requests_shed_total",
    "Requests (HTTP) and calls (gRPC) refused by load shedding before any work was done.",
    ["transport", "cause"],
  );
}

/**
 * The error a shed request or call ends with: UNAVAILABLE (503), reason OVERLOADED. It was refused
 * before any work, so the caller may repeat it anywhere, even a method that is not idempotent.
 */
export function overloadedError(cause: ShedCause, retryAfterMs: number): AppError {
  return new AppError({
    code: Code.UNAVAILABLE,
    reason: OVERLOADED_REASON,
    message: "server is overloaded; retry later or on another instance",
    details: { cause },
    retryAfterMs,
  });
}
