import { context, trace } from "@opentelemetry/api";

/** What OpenTelemetry's instrumentations leave on a method they patched (shimmer's marks). */
type Method = (...args: unknown[]) => unknown;
type Patched = Method & { __original?: Method; __unwrap?: () => void };

const recording = () => trace.getSpan(context.active())?.isRecording() === true;

/**
 * Makes instrumentation-pg skip the statements of a trace nobody records. With
 * `requireParentSpan` it already skips queries outside any trace (pollers), but inside a request
 * whose trace was not sampled (every request of a service that exports nothing, and 90 % with a
 * 0.1 ratio) it still builds a span, its attributes, a duration record and a context-bound
 * callback for every statement: 0.13-0.22 ms of CPU per order in each service's profile, for spans
 * that are never exported. instrumentation-pg has no option for it, so each patched method is
 * wrapped once more: a statement whose active span records goes through the instrumentation, any
 * other straight to pg's own method (which the patch keeps as `__original`). Without telemetry
 * (nothing patched) this changes nothing.
 */
export function skipUnrecordedPgSpans(pg: {
  Client: { prototype: object };
  Pool: { prototype: object };
}): void {
  bypassWhenUnrecorded(pg.Client.prototype, "query");
  // pg-pool.connect spans follow the same rule; Pool.prototype is pg's subclass of pg-pool's Pool,
  // whose own prototype carries the patched connect.
  const poolPrototype = Object.getPrototypeOf(pg.Pool.prototype) as object | null;
  if (poolPrototype) bypassWhenUnrecorded(poolPrototype, "connect");
}

function bypassWhenUnrecorded(target: object, method: string): void {
  const patched = (target as Record<string, unknown>)[method] as Patched | undefined;
  const original = patched?.__original;
  if (!patched || !original) return;
  const bypassing = function (this: unknown, ...args: unknown[]) {
    return (recording() ? patched : original).apply(this, args);
  };
  // The marks are kept, so a later unpatch (instrumentation.disable()) still restores pg's own method.
  Object.assign(bypassing, { __original: original, __unwrap: patched.__unwrap, __wrapped: true });
  (target as Record<string, unknown>)[method] = bypassing;
}
