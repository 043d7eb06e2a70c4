import { AppError, Code } from "../errors/index.ts";
import type { Principal } from "./principal.ts";
import { AUTH_DISABLED_PRINCIPAL } from "./token-verifier.ts";

/** Who a call is counted against: its token's subject, or its address without a token. */
export interface RateLimitCaller {
  principal?: Principal | undefined;
  /** The client's address, used when there is no principal. */
  ip: string;
}

/**
 * The rate limit as every transport sees it: undefined means go ahead, otherwise how long until
 * the caller's budget has room again. HTTP and gRPC share one, so a budget is spent the same
 * whichever transport a subject calls.
 */
export type CallLimiter = (caller: RateLimitCaller) => Promise<{ retryAfterMs: number } | undefined>;

export const RATE_LIMITED_REASON = "RATE_LIMITED";

/**
 * One budget per token subject, or per client address without a token. The anonymous principal of
 * a public route (no subject) and the one everybody shares when AUTH_DISABLED=true name nobody:
 * those calls count by address, or every client would share one budget. Prefixed, so a subject
 * named like an address never shares an address's budget.
 */
export function rateLimitKey(caller: RateLimitCaller): string {
  const principal = caller.principal;
  const named = principal && principal.subject !== "" && principal !== AUTH_DISABLED_PRINCIPAL;
  return named ? `sub:${principal.subject}` : `ip:${caller.ip}`;
}

/** 429 / RESOURCE_EXHAUSTED with the wait in whole seconds (Retry-After, google.rpc.RetryInfo). */
export function rateLimitedError(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError({
    code: Code.RESOURCE_EXHAUSTED,
    reason: RATE_LIMITED_REASON,
    message: `rate limit exceeded; retry in ${seconds} s`,
    details: { retry_after_seconds: seconds },
    retryAfterMs: seconds * 1000,
  });
}
