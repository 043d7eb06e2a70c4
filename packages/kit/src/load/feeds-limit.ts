import { Code } from "../errors/index.ts";

/**
 * Outcomes whose latency tells the admission limit about the load: the request did its work (OK),
 * failed inside (UNKNOWN, INTERNAL, DATA_LOSS), or ran out of time or of a peer (DEADLINE_EXCEEDED,
 * UNAVAILABLE). Every other code is a refusal that did no real work (bad input, no access, rate
 * limited, not found, not implemented, a conflict, the caller gone): fast for reasons of its own,
 * it would drag the latency baseline down and let the limit climb.
 */
const FEEDING: ReadonlySet<Code> = new Set([
  Code.OK,
  Code.UNKNOWN,
  Code.DEADLINE_EXCEEDED,
  Code.INTERNAL,
  Code.UNAVAILABLE,
  Code.DATA_LOSS,
]);

/**
 * Whether a request that ended with `code` releases its permit measured. The one rule for every
 * transport: HTTP and gRPC each map their outcome to a kit Code and ask this.
 */
export function feedsLimit(code: Code): boolean {
  return FEEDING.has(code);
}
