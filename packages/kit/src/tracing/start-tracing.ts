import {
  envDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
} from "@opentelemetry/resources";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { runningTelemetry } from "./telemetry-slot.ts";

export interface StartTracingOptions {
  serviceName: string;
  /**
   * Where finished spans go, e.g. `[new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })]`.
   * Default none: spans get ids (log lines carry them) but nothing is exported.
   */
  spanProcessors?: SpanProcessor[];
  /**
   * `"all"` patches http, fastify, grpc-js and pg as the `--import` entry does; without that
   * entry's ESM hook only modules reached through require are patched (grpc-js is not). Default
   * `"none"`: only spans the code starts itself (withSpan).
   */
  instrumentations?: "all" | "none";
}

export interface Tracing {
  /** Flushes and stops the SDK, unpatches modules, and frees the process for another start. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing from code, for tests and tools that cannot use the `--import` entry. One SDK per
 * process: rejects if telemetry is already running. shutdownTelemetry() also stops it.
 *
 * Asynchronous because the SDK and the instrumentations are imported on demand: every service
 * imports this module for shutdownTelemetry, and must not pay for loading the SDK when it is off.
 */
export async function startTracing(options: StartTracingOptions): Promise<Tracing> {
  const [{ createInstrumentations }, { startTelemetry }] = await Promise.all([
    import("./create-instrumentations.ts"),
    import("./start-telemetry.ts"),
  ]);
  // Checked before the instrumentations exist: constructing one already patches modules.
  if (runningTelemetry()) throw new Error("startTracing: telemetry is already running in this process");
  return startTelemetry({
    serviceName: options.serviceName,
    spans: options.spanProcessors ?? [],
    instrumentations: options.instrumentations === "all" ? createInstrumentations() : [],
    // No host detector: its machine-id read is asynchronous, and while a resource attribute is
    // pending SimpleSpanProcessor defers every export. Without it an ended span is in the
    // exporter at once, which is what a test reading InMemorySpanExporter expects.
    resourceDetectors: [serviceInstanceIdDetector, processDetector, osDetector, envDetector],
  });
}
