import { type Attributes, context, logs, propagation, trace } from "@opentelemetry/api";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { defaultResource, type ResourceDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import {
  AlwaysOffSampler,
  NoopSpanProcessor,
  ParentBasedSampler,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";
import { holdTelemetry, type RunningTelemetry, releaseTelemetry } from "./telemetry-slot.ts";

export interface TelemetryOptions {
  /**
   * Where finished spans go: the given processors; `"environment"` for the exporter the standard
   * variables name (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_*, OTEL_BSP_*); or `[]` to export
   * nothing while still giving every span real ids, for log correlation and propagation.
   */
  spans: SpanProcessor[] | "environment";
  instrumentations: Instrumentation[];
  /** Forces `service.name` over every other source (programmatic starts). */
  serviceName?: string;
  /** Lowest-priority resource attributes; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win. */
  defaultAttributes?: Attributes;
  /** True when OTEL_TRACES_SAMPLER is set: the SDK then builds the sampler it names. */
  samplerFromEnvironment?: boolean;
  /** Resource detectors; the SDK's default set (host, os, process, env, instance id) when absent. */
  resourceDetectors?: ResourceDetector[];
}

/**
 * Starts the OpenTelemetry NodeSDK and holds it in the process-wide slot that shutdownTelemetry
 * reads. Metrics and logs signals stay off: metrics leave through prom-client's /metrics, logs
 * through stdout, and the SDK's default for both is an OTLP exporter that fails silently.
 */
export function startTelemetry(options: TelemetryOptions): RunningTelemetry {
  const exportsNothing = Array.isArray(options.spans) && options.spans.length === 0;
  const sdk = new NodeSDK({
    instrumentations: options.instrumentations,
    resource: defaultResource().merge(resourceFromAttributes(options.defaultAttributes ?? {})),
    ...(options.serviceName === undefined ? {} : { serviceName: options.serviceName }),
    ...(options.resourceDetectors === undefined ? {} : { resourceDetectors: options.resourceDetectors }),
    ...(options.spans === "environment"
      ? {}
      : { spanProcessors: exportsNothing ? [new NoopSpanProcessor()] : options.spans }),
    // Recording spans nobody exports is pure cost; unsampled spans still carry fresh ids. A sampled
    // parent is still honoured, so this process never breaks a trace an upstream is exporting.
    // An operator's OTEL_TRACES_SAMPLER (e.g. parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG)
    // always wins: the SDK reads it whenever no sampler is passed here.
    ...(exportsNothing && !options.samplerFromEnvironment
      ? { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }
      : {}),
    metricReaders: [],
    logRecordProcessors: [],
  });
  const telemetry: RunningTelemetry = {
    async shutdown() {
      try {
        await sdk.shutdown();
      } finally {
        // NodeSDK.shutdown flushes and stops the providers but leaves modules patched and the API
        // pointing at them; undo both so the process (a test run) can start telemetry again.
        for (const instrumentation of options.instrumentations) instrumentation.disable();
        trace.disable();
        context.disable();
        propagation.disable();
        logs.disable();
        releaseTelemetry(telemetry);
      }
    },
  };
  holdTelemetry(telemetry);
  sdk.start();
  return telemetry;
}
