import type { Message } from "@bufbuild/protobuf";
import { type CallLimiter, type Principal, rateLimitedError } from "../auth/index.ts";
import type { CallContext } from "./call-context.ts";

type Unary = (request: Message, ctx: CallContext) => unknown;
type Streaming = (request: Message, ctx: CallContext) => AsyncIterable<unknown>;

/**
 * The principal bearer-token authentication attached to the call, if any. Read structurally: the
 * token check sets `principal` on the call context before the handler runs (the same property
 * HTTP requests carry), and without it the call is counted by its address.
 */
function principalOf(ctx: CallContext): Principal | undefined {
  return (ctx as CallContext & { principal?: Principal }).principal;
}

function peerOf(ctx: CallContext): string {
  return (ctx as CallContext & { peerAddress?: string }).peerAddress ?? "unknown";
}

async function admit(limiter: CallLimiter, ctx: CallContext): Promise<void> {
  const verdict = await limiter({ principal: principalOf(ctx), ip: peerOf(ctx) });
  // RESOURCE_EXHAUSTED carrying google.rpc.RetryInfo (the error's retryAfterMs).
  if (verdict) throw rateLimitedError(verdict.retryAfterMs);
}

/**
 * A handler that first spends one unit of the caller's budget (the HTTP server's, same counters),
 * wrapped around the service's own: it runs inside the kit's handler wrapper, so whatever that
 * wrapper establishes first (deadline, span, the caller's identity) is in place.
 */
export function rateLimitedUnary(handler: Unary, limiter: CallLimiter): Unary {
  return async (request, ctx) => {
    await admit(limiter, ctx);
    return handler(request, ctx);
  };
}

export function rateLimitedStreaming(handler: Streaming, limiter: CallLimiter): Streaming {
  return async function* (request, ctx) {
    await admit(limiter, ctx);
    yield* handler(request, ctx);
  };
}
