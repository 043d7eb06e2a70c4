import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { anyIs, anyPack, anyUnpack, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type EventEnvelope, EventEnvelopeSchema } from "@orderly/contracts/events";

export interface NewEnvelope<Desc extends DescMessage> {
  eventId: string;
  source: string;
  aggregateId: string;
  aggregateVersion: bigint;
  occurredAt: Date;
  schema: Desc;
  payload: MessageShape<Desc>;
}

/** Wraps one event message in the envelope; `type` is the payload's full protobuf name. */
export function buildEnvelope<Desc extends DescMessage>(event: NewEnvelope<Desc>): EventEnvelope {
  return create(EventEnvelopeSchema, {
    eventId: event.eventId,
    type: event.schema.typeName,
    source: event.source,
    occurredAt: timestampFromDate(event.occurredAt),
    aggregateId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    payload: anyPack(event.schema, event.payload),
  });
}

export const encodeEnvelope = (envelope: EventEnvelope): Uint8Array =>
  toBinary(EventEnvelopeSchema, envelope);

/** Throws when the bytes are not an envelope with an event id and a payload. */
export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  const envelope = fromBinary(EventEnvelopeSchema, bytes);
  if (envelope.eventId === "" || envelope.payload === undefined || envelope.type === "") {
    throw new TypeError("event envelope without event_id, type or payload");
  }
  return envelope;
}

export const envelopeOccurredAt = (envelope: EventEnvelope): Date | undefined =>
  envelope.occurredAt ? timestampDate(envelope.occurredAt) : undefined;

/** The payload as `schema`, or undefined when the envelope holds another type. */
export function unpackEnvelope<Desc extends DescMessage>(
  envelope: EventEnvelope,
  schema: Desc,
): MessageShape<Desc> | undefined {
  if (envelope.payload === undefined || !anyIs(envelope.payload, schema)) return undefined;
  return anyUnpack(envelope.payload, schema);
}
