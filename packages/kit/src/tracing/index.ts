export {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";
export {
  DEFAULT_TELEMETRY_SHUTDOWN_TIMEOUT_MS,
  type ShutdownTelemetryOptions,
  shutdownTelemetry,
  type TelemetryShutdown,
} from "./shutdown-telemetry.ts";
export { type StartTracingOptions, startTracing, type Tracing } from "./start-tracing.ts";
export { isUntracedHttpPath, UNTRACED_GRPC_METHODS, UNTRACED_HTTP_PATHS } from "./untraced-requests.ts";
export { KIT_TRACER_NAME, withSpan } from "./with-span.ts";
