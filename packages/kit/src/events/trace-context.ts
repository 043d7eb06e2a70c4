import { randomBytes } from "node:crypto";
import {
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

/** W3C trace context as carried by an outbox row and by event headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

// The contract names the W3C headers, so they are written whatever global propagator is configured.
const propagator = new W3CTraceContextPropagator();

/** The trace context of `ctx` (default: the active one); empty outside a sampled or valid span. */
export function captureTrace(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  const captured: TraceCarrier = {};
  if (carrier.traceparent) captured.traceparent = carrier.traceparent;
  if (carrier.tracestate) captured.tracestate = carrier.tracestate;
  return captured;
}

/** A context whose parent is the span described by `carrier` (the root context when it has none). */
export function contextFromTrace(carrier: TraceCarrier, base: Context = ROOT_CONTEXT): Context {
  return propagator.extract(base, { ...carrier }, defaultTextMapGetter);
}

/**
 * The carrier, or when it has no traceparent (tracing off in this process), a fresh unsampled one:
 * every event on the bus carries a traceparent, so consumers can still correlate what they do.
 */
export function withTraceparent(carrier: TraceCarrier): TraceCarrier & { traceparent: string } {
  if (carrier.traceparent) return { ...carrier, traceparent: carrier.traceparent };
  return { traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00` };
}
