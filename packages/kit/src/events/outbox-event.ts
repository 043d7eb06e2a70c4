import type { TraceCarrier } from "./trace-context.ts";

/**
 * What recordEvent stores as the outbox payload: the encoded envelope (base64, since the outbox
 * holds JSON) and the trace context of the transaction that recorded it, so the relay's publish
 * span (and every consumer after it) continues that trace though it runs later, elsewhere.
 */
export interface OutboxEventPayload extends TraceCarrier {
  format: typeof OUTBOX_EVENT_FORMAT;
  envelope: string;
}

export const OUTBOX_EVENT_FORMAT = "orderly.events.v1.EventEnvelope";

export function toOutboxPayload(envelope: Uint8Array, trace: TraceCarrier): OutboxEventPayload {
  return { format: OUTBOX_EVENT_FORMAT, envelope: Buffer.from(envelope).toString("base64"), ...trace };
}

/** Throws when the outbox message was not recorded by recordEvent. */
export function fromOutboxPayload(payload: unknown): { envelope: Uint8Array; trace: TraceCarrier } {
  const value = payload as Partial<OutboxEventPayload> | null;
  if (value === null || typeof value !== "object" || value.format !== OUTBOX_EVENT_FORMAT) {
    throw new TypeError("outbox message is not an event recorded by recordEvent");
  }
  if (typeof value.envelope !== "string") throw new TypeError("outbox event without envelope");
  const trace: TraceCarrier = {};
  if (typeof value.traceparent === "string") trace.traceparent = value.traceparent;
  if (typeof value.tracestate === "string") trace.tracestate = value.tracestate;
  return { envelope: new Uint8Array(Buffer.from(value.envelope, "base64")), trace };
}
