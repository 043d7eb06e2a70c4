import { type Attributes, type Context, type Span, SpanKind, trace } from "@opentelemetry/api";
import { KIT_TRACER_NAME } from "../tracing/with-span.ts";

/** What a span does with a message: the relay sends it, a consumer processes it. */
export type MessagingOperation = "send" | "process";

/**
 * The span of one message on NATS, named and attributed by the OpenTelemetry messaging
 * conventions (`send <subject>` as PRODUCER, `process <subject>` as CONSUMER), a child of `parent`
 * (on the consumer side, the producer's span carried in the headers). The caller ends it.
 */
export function startMessagingSpan(
  operation: MessagingOperation,
  subject: string,
  attributes: Attributes,
  parent: Context,
): Span {
  return trace.getTracer(KIT_TRACER_NAME).startSpan(
    `${operation} ${subject}`,
    {
      kind: operation === "send" ? SpanKind.PRODUCER : SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "nats",
        "messaging.operation.type": operation,
        "messaging.destination.name": subject,
        ...attributes,
      },
    },
    parent,
  );
}
