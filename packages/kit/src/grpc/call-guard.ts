import type { DescMethod, Message } from "@bufbuild/protobuf";
import type { ServerCallContext } from "./call-context.ts";

/** One check a call must pass before its handler runs; throws an AppError to refuse it. */
export type CallCheck = (ctx: ServerCallContext) => void | Promise<void>;

/**
 * Looks at a method once, when its service is added, and returns the check its calls need (or
 * undefined for none): the bearer-token scope check, the caller allowlist. A guard that throws
 * here stops the server from starting, so a mis-declared method is found before it is served.
 */
export type CallGuard = (method: DescMethod) => CallCheck | undefined;

type Unary = (request: Message, ctx: ServerCallContext) => Promise<unknown>;
type Streaming = (request: Message, ctx: ServerCallContext) => AsyncIterable<unknown>;

/** `handler` behind the checks the guards ask of `method`, in order; unchanged when none apply. */
export function guarded<H extends Unary | Streaming>(
  method: DescMethod,
  handler: H,
  guards: readonly CallGuard[],
): H {
  const checks = guards.map((guard) => guard(method)).filter((check) => check !== undefined);
  if (checks.length === 0) return handler;
  const pass = async (ctx: ServerCallContext) => {
    for (const check of checks) await check(ctx);
  };
  if (method.methodKind === "server_streaming") {
    const inner = handler as Streaming;
    return async function* guardedStream(request: Message, ctx: ServerCallContext) {
      await pass(ctx);
      yield* inner(request, ctx);
    } as unknown as H;
  }
  const inner = handler as Unary;
  return (async (request: Message, ctx: ServerCallContext) => {
    await pass(ctx);
    return inner(request, ctx);
  }) as unknown as H;
}
