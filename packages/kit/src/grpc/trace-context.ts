import * as grpc from "@grpc/grpc-js";
import { context, propagation, type TextMapGetter, type TextMapSetter, trace } from "@opentelemetry/api";

const getter: TextMapGetter<grpc.Metadata> = {
  get(carrier, key) {
    const values = carrier.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

const setter: TextMapSetter<grpc.Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/**
 * Runs a handler inside the caller's trace context. With @opentelemetry/instrumentation-grpc loaded
 * the handler already runs inside its server span (nothing to do); without it, the W3C context is
 * read from metadata here so log lines still carry the caller's trace id. With no propagator
 * registered both paths are a couple of property reads.
 */
export function runInTraceContext<T>(metadata: grpc.Metadata, fn: () => T): T {
  if (trace.getActiveSpan() !== undefined) return fn();
  const active = context.active();
  const extracted = propagation.extract(active, metadata, getter);
  return extracted === active ? fn() : context.with(extracted, fn);
}

/**
 * True when @opentelemetry/instrumentation-grpc has patched grpc-js: it then opens a client span and
 * injects its own traceparent, and injecting ours too would be duplicate work.
 */
export function grpcClientIsInstrumented(): boolean {
  const method = grpc.Client.prototype.makeUnaryRequest as { __wrapped?: unknown };
  return method.__wrapped === true;
}

/** Writes the active W3C trace context into outgoing metadata (when not instrumented). */
export function injectTraceContext(metadata: grpc.Metadata): void {
  propagation.inject(context.active(), metadata, setter);
}
