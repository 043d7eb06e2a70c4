import type { Message } from "@bufbuild/protobuf";
import { type CallLimiter, rateLimitedError } from "../auth/index.ts";
import type { CallContext } from "./call-context.ts";

type Unary = (request: Message, ctx: CallContext) => unknown;
type Streaming = (request: Message, ctx: CallContext) => AsyncIterable<unknown>;

function peerOf(ctx: CallContext): string {
  return (ctx as CallContext & { peerAddress?: string }).peerAddress ?? "unknown";
}

async function admit(limiter: CallLimiter, ctx: CallContext): Promise<void> {
  const verdict = await limiter({ principal: ctx.principal, ip: peerOf(ctx) });
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
