import type { CallOptions } from "./service-types.ts";

/**
 * The deadline (epoch ms) of an outgoing call: the call's own (absolute, relative, or the client
 * default), capped by the deadline of the call being served, so a callee never works past the
 * moment its caller's caller gave up. `fallbackMs` undefined means no own default (streams).
 */
export function outgoingDeadline(
  options: CallOptions | undefined,
  fallbackMs: number | undefined,
  incomingMs: number | undefined,
  now: number = Date.now(),
): number | undefined {
  const relativeMs = options?.deadlineMs ?? fallbackMs;
  const own = options?.deadline
    ? options.deadline.getTime()
    : relativeMs === undefined
      ? undefined
      : now + relativeMs;
  if (incomingMs === undefined) return own;
  return own === undefined || incomingMs < own ? incomingMs : own;
}
