import type { JetStreamClient } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { context, trace } from "@opentelemetry/api";
import type { OutboxMessage } from "../db/outbox.ts";
import { failSpan } from "../tracing/with-span.ts";
import { decodeEnvelope } from "./event-envelope.ts";
import { EventHeaders, PROTOBUF_CONTENT_TYPE } from "./event-headers.ts";
import { noPublisherMetrics, type PublisherMetrics } from "./events.metrics.ts";
import { startMessagingSpan } from "./messaging-span.ts";
import { fromOutboxPayload } from "./outbox-event.ts";
import { subjectSource } from "./subjects.ts";
import { captureTrace, contextFromTrace, withTraceparent } from "./trace-context.ts";

export interface EventPublisherOptions {
  js: JetStreamClient;
  metrics?: PublisherMetrics;
  /** How long to wait for the broker's PubAck, default 5 s; then the relay retries later. */
  publishTimeoutMs?: number;
}

/**
 * The outbox relay's `deliver` for events recorded by recordEvent: publishes the envelope to
 * JetStream on the outbox topic (the subject) and resolves on the broker's PubAck. `Nats-Msg-Id`
 * is the event id, so a replay by the relay (it crashed between publish and mark, or its lease
 * expired) is dropped by the broker within the stream's duplicate window; consumers' inbox dedupe
 * covers anything later. The publish span continues the trace recorded with the outbox row.
 */
export function eventPublisher(options: EventPublisherOptions): (message: OutboxMessage) => Promise<void> {
  const metrics = options.metrics ?? noPublisherMetrics;
  const timeout = options.publishTimeoutMs ?? 5_000;
  return async (message) => {
    const subject = message.topic;
    if (subjectSource(subject) === undefined)
      throw new TypeError(`outbox topic ${subject} is not an event subject`);
    const { envelope: bytes, trace: recorded } = fromOutboxPayload(message.payload);
    const envelope = decodeEnvelope(bytes);
    const parent = recorded.traceparent ? contextFromTrace(recorded) : context.active();
    const span = startMessagingSpan("send", subject, { "messaging.message.id": envelope.eventId }, parent);
    try {
      const h = headers();
      h.set(EventHeaders.contentType, PROTOBUF_CONTENT_TYPE);
      h.set(EventHeaders.eventType, envelope.type);
      const carried = withTraceparent(captureTrace(trace.setSpan(parent, span)));
      h.set(EventHeaders.traceparent, carried.traceparent);
      if (carried.tracestate) h.set(EventHeaders.tracestate, carried.tracestate);
      // msgID sets the Nats-Msg-Id header.
      const ack = await options.js.publish(subject, bytes, { msgID: envelope.eventId, headers: h, timeout });
      span.setAttribute("orderly.events.duplicate", ack.duplicate);
      if (!ack.duplicate) metrics.published(subject);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
}
