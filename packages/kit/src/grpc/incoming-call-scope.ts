import { AsyncLocalStorage } from "node:async_hooks";
import { type Context, context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import type { ServerCallContext } from "./call-context.ts";

/*
 * Which served call the current async context belongs to: outgoing calls read it to cap their
 * deadline and pass the canary flag on. Process-wide by nature (like the OpenTelemetry context):
 * it holds no resources.
 *
 * One context switch per call. A traced call already enters its span's OpenTelemetry context, so
 * the call rides in that context as a value instead of in a second AsyncLocalStorage: every
 * `run()` copies the whole async context frame (one Map entry per storage in the process), which
 * was a measurable share of a unary call. Without a context manager that propagates (no SDK, or
 * OTEL_SDK_DISABLED), OpenTelemetry's `with` is a plain call and the kit's own storage carries it.
 */
const CALL_KEY = createContextKey("orderly incoming gRPC call");
const incomingCalls = new AsyncLocalStorage<ServerCallContext>();

let otelCarriesCalls: boolean | undefined;

/**
 * Whether OpenTelemetry's context manager keeps values across calls, asked once: the SDK registers
 * its manager in the `--import`ed entry, before any call is served, and keeps it until shutdown.
 */
function otelPropagates(): boolean {
  otelCarriesCalls ??= context.with(
    ROOT_CONTEXT.setValue(CALL_KEY, true),
    () => context.active().getValue(CALL_KEY) === true,
  );
  return otelCarriesCalls;
}

/** Runs `work` as part of `call`, inside `otelContext` (the call's span) when it has one. */
export function runAsIncomingCall<T>(
  call: ServerCallContext,
  otelContext: Context | undefined,
  work: () => T,
): T {
  if (otelPropagates()) return context.with((otelContext ?? context.active()).setValue(CALL_KEY, call), work);
  return otelContext
    ? context.with(otelContext, () => incomingCalls.run(call, work))
    : incomingCalls.run(call, work);
}

/** The call whose async context this is, answered or not. */
export function currentIncomingCall(): ServerCallContext | undefined {
  if (otelPropagates()) return context.active().getValue(CALL_KEY) as ServerCallContext | undefined;
  return incomingCalls.getStore();
}

/**
 * Runs `fn` detached from the call being served: outgoing calls made inside (now or later) do not
 * inherit its deadline. For work that outlives the call, like a saga step woken by a handler and
 * finished in the background.
 */
export function runOutsideCall<T>(fn: () => T): T {
  if (otelPropagates()) return context.with(context.active().deleteValue(CALL_KEY), fn);
  return incomingCalls.exit(fn);
}
