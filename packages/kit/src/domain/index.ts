// Framework-free building blocks every service's domain/ may use (the lint rule allows this subpath
// and @orderly/kit/errors, nothing else of the kit).

export { type BackoffOptions, backoffDelayMs } from "./backoff.ts";
export { type Clock, offsetClock, systemClock } from "./clock.ts";
export { isUuid } from "./ids.ts";
export {
  DEFAULT_PAGE_SIZE,
  decodePageToken,
  encodePageToken,
  MAX_PAGE_SIZE,
  type Page,
  resolvePageSize,
} from "./paging.ts";
export { findUnusableText, unusableTextProblem } from "./unusable-text.ts";
export { Violations } from "./violations.ts";
