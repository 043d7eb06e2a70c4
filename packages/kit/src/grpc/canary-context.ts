import { AsyncLocalStorage } from "node:async_hooks";
import { currentIncomingCall } from "./incoming-call-scope.ts";

/**
 * Request header and gRPC metadata that pin a call, and every call it makes, to the canary
 * version of each peer while one is up (a tester's or a synthetic probe's traffic).
 */
export const CANARY_HEADER = "x-orderly-canary";

/** Work started for a flagged HTTP request. Process-wide by nature, like the incoming call (incoming-call-scope.ts): no resources. */
const canaryScope = new AsyncLocalStorage<true>();

/** Runs `fn` flagged when the header's value is "1" (an HTTP request's header, read once per request). */
export function withCanaryFlag<T>(headerValue: unknown, fn: () => T): T {
  return headerValue === "1" ? canaryScope.run(true, fn) : fn();
}

/**
 * Whether outgoing calls from here carry the canary flag: the explicit call option, else a flagged
 * HTTP request being served, else the gRPC call being served carrying `x-orderly-canary: 1`.
 */
export function isCanaryFlagged(explicit: boolean | undefined): boolean {
  if (explicit !== undefined) return explicit;
  if (canaryScope.getStore()) return true;
  return currentIncomingCall()?.metadata.get(CANARY_HEADER)[0] === "1";
}
