import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { type Instrumentation, registerInstrumentations } from "@opentelemetry/instrumentation";
import {
  AlwaysOffSampler,
  NoopSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { holdTelemetry, type RunningTelemetry, releaseTelemetry } from "./telemetry-slot.ts";

/**
 * Tracing for a process that exports nothing (no exporter or endpoint named, no sampler chosen):
 * spans get real W3C ids so log lines correlate and traceparent crosses HTTP and gRPC, but no span
 * is recorded unless a caller's sampled context asks for it, and none leaves the process.
 *
 * The same API wiring NodeSDK does (context manager, W3C propagators, a tracer provider, the
 * instrumentations), without loading NodeSDK: its module statically imports every exporter,
 * propagator and the logs and metrics SDKs (measured: about 0.6 s of CPU at start and tens of MB
 * of heap), none of which a non-exporting process uses. No resource is detected either: a resource
 * only describes exported spans.
 */
export function startLocalTracing(instrumentations: Instrumentation[]): RunningTelemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const provider = new TracerProvider({
    // A sampled parent is still honoured, so this process never breaks a trace an upstream exports.
    sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    spanProcessors: [new NoopSpanProcessor()],
  });
  trace.setGlobalTracerProvider(provider);
  const unregister = registerInstrumentations({ instrumentations, tracerProvider: provider });
  const telemetry: RunningTelemetry = {
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        unregister();
        trace.disable();
        context.disable();
        propagation.disable();
        releaseTelemetry(telemetry);
      }
    },
  };
  holdTelemetry(telemetry);
  return telemetry;
}
