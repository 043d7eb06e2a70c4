/**
 * Retry policy of the kit's gRPC client: which calls may be retried (idempotency_level
 * NO_SIDE_EFFECTS / IDEMPOTENT, or an idempotency key), which failures (transient codes, never an
 * open circuit), and exponential backoff with full jitter inside the caller's deadline.
 *
 * Libraries weighed, and why this stays ours:
 * - grpc-js's built-in retries (service config `retryPolicy`, gRFC A6): they retry per method name
 *   from a JSON config, know nothing of proto `idempotency_level` or a per-call idempotency key, and
 *   their attempts are invisible to our RED metrics, breaker and logs; transparent retries stay on.
 * - `p-retry` / `async-retry` / `cockatiel`'s retry: generic loops; the backoff here is ~10 lines,
 *   and the decisions (idempotency from the descriptor, deadline budget, retry counter) are ours anyway.
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { type AppError, Code } from "../errors/index.ts";
import { OVERLOADED_REASON } from "../load/shedding.ts";
import { TransportReason } from "./error-mapping.ts";

export interface RetryOptions {
  /** Attempts including the first. Default 4. */
  maxAttempts?: number;
  /** Upper bound of the first backoff. Default 50 ms. */
  initialBackoffMs?: number;
  /** Upper bound of any backoff. Default 1000 ms. */
  maxBackoffMs?: number;
}

export type RetryPolicy = Readonly<Required<RetryOptions>>;

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy | undefined {
  if (options === false) return undefined;
  return {
    maxAttempts: Math.max(1, options?.maxAttempts ?? 4),
    initialBackoffMs: options?.initialBackoffMs ?? 50,
    maxBackoffMs: options?.maxBackoffMs ?? 1000,
  };
}

/** The proto says a repeat is harmless: `idempotency_level` NO_SIDE_EFFECTS or IDEMPOTENT. */
export function isIdempotent(method: DescMethod): boolean {
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT
  );
}

/**
 * Worth another attempt: the peer may answer next time. DEADLINE_EXCEEDED is not (the budget is
 * spent), nor is an open circuit (it would fail fast again).
 */
export function isRetryable(error: AppError): boolean {
  if (error.reason === TransportReason.CIRCUIT_OPEN) return false;
  return (
    error.code === Code.UNAVAILABLE || error.code === Code.RESOURCE_EXHAUSTED || error.code === Code.ABORTED
  );
}

/**
 * Refused before the server did anything (its load shedding answered OVERLOADED): repeating it is
 * harmless whatever the method, so even a call without idempotency or a key may try again.
 */
export function wasNotProcessed(error: AppError): boolean {
  return error.code === Code.UNAVAILABLE && error.reason === OVERLOADED_REASON;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, initial * 2^(retry-1))). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
