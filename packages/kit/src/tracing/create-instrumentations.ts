import { FastifyOtelInstrumentation } from "@fastify/otel";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { GrpcInstrumentation } from "@opentelemetry/instrumentation-grpc";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { isUntracedFastifyRoute, UNTRACED_GRPC_METHODS } from "./untraced-requests.ts";

/**
 * The libraries Orderly services use. Constructing an instrumentation enables it (it hooks module
 * loading), so this runs only when tracing is on, before the application imports anything.
 *
 * pino is not instrumented: the logger's mixin writes `trace_id`/`span_id` itself, with or without
 * the hook, and a second mechanism would only duplicate those fields. Logs leave the process on
 * stdout, not through OTLP, so instrumentation-pino's log sending has nothing to do either.
 */
export function createInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      // @fastify/otel makes the server span and extracts the caller's W3C context itself; doing it
      // here too bound every request (probes included) to a context twice. bench/README.md has the
      // measured effect on /health.
      disableIncomingRequestInstrumentation: true,
      // Consul heartbeats and other background HTTP calls would each start a one-span trace.
      requireParentforOutgoingSpans: true,
    }),
    new FastifyOtelInstrumentation({
      // Plugs into every fastify instance through its diagnostics channel: no app.register needed.
      registerOnInitialization: true,
      ignorePaths: isUntracedFastifyRoute,
      // One span per request, nothing more. By default every hook (request id, metrics, drain
      // guard) and the handler each get a span and a context switch of their own: on a traced
      // route that is five spans per request for what the request span already times.
      instrumentHooks: false,
      instrumentHandler: false,
    }),
    new GrpcInstrumentation({ ignoreGrpcMethods: [...UNTRACED_GRPC_METHODS] }),
    new PgInstrumentation({
      // Pollers (outbox, saga resumption) query every few hundred ms; only queries inside a trace count.
      requireParentSpan: true,
      // Parameter values carry customer data: never on spans.
      enhancedDatabaseReporting: false,
    }),
  ];
}
