export {
  type CallLimiter,
  RATE_LIMITED_REASON,
  type RateLimitCaller,
  rateLimitedError,
  rateLimitKey,
} from "./call-limiter.ts";
export type { Principal } from "./principal.ts";
export { hasScope, mayActFor } from "./principal.ts";
export type { Scope } from "./scopes.ts";
export { isScope, SCOPES } from "./scopes.ts";
