import type * as grpc from "@grpc/grpc-js";
import {
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { Code } from "../errors/index.ts";
import { KIT_TRACER_NAME } from "../tracing/with-span.ts";

const metadataGetter: TextMapGetter<grpc.Metadata> = {
  get(carrier, key) {
    const values = carrier.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

/** Codes that mean the server failed (OpenTelemetry's gRPC server conventions); the rest are the caller's. */
const SERVER_ERRORS: ReadonlySet<Code> = new Set([
  Code.UNKNOWN,
  Code.DEADLINE_EXCEEDED,
  Code.UNIMPLEMENTED,
  Code.INTERNAL,
  Code.UNAVAILABLE,
  Code.DATA_LOSS,
]);

/**
 * The server span of one method, made by the kit instead of @opentelemetry/instrumentation-grpc
 * (GrpcServer registers its handlers past that instrumentation's wrapper). Same name, kind and
 * attributes as the instrumentation's, but a call costs one W3C extract, one span and one context
 * switch: the name and attributes are built once per method, and an unsampled span (the common
 * case) gets nothing set on it. Without an SDK every step is the API's no-op.
 */
export class ServerSpanFactory {
  readonly #name: string;
  readonly #options: SpanOptions;
  #tracer: Tracer | undefined;

  constructor(service: string, method: string) {
    this.#name = `grpc.${service}/${method}`;
    this.#options = Object.freeze({
      kind: SpanKind.SERVER,
      attributes: Object.freeze({ "rpc.system": "grpc", "rpc.service": service, "rpc.method": method }),
    });
  }

  /** Starts the span as a child of the caller's context (from metadata); returns it with its context. */
  start(metadata: grpc.Metadata): { span: Span; context: Context } {
    // A ProxyTracer: it finds the SDK once one is registered, whenever that happens.
    this.#tracer ??= trace.getTracer(KIT_TRACER_NAME);
    const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
    const span = this.#tracer.startSpan(this.#name, this.#options, parent);
    return { span, context: trace.setSpan(parent, span) };
  }
}

/** Ends the span with the call's outcome; only a recorded span is annotated. */
export function endServerSpan(span: Span, code: Code, message: string | undefined): void {
  if (span.isRecording()) {
    span.setAttribute("rpc.grpc.status_code", code);
    if (SERVER_ERRORS.has(code)) span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? "" });
  }
  span.end();
}
