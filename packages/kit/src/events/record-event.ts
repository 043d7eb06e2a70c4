import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Kysely, Transaction } from "kysely";
import type { AnySchema } from "../db/any-schema.ts";
import { enqueueOutbox } from "../db/outbox.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { buildEnvelope, encodeEnvelope } from "./event-envelope.ts";
import { toOutboxPayload } from "./outbox-event.ts";
import { eventSubject } from "./subjects.ts";
import { captureTrace } from "./trace-context.ts";

export interface RecordEvent<Desc extends DescMessage> {
  /** The producing service (`order`); first token after `orderly.` in the subject. */
  source: string;
  /** The event's subject token (`confirmed`, `shipment_shipped`): subject `orderly.<source>.<event>`. */
  event: string;
  /** The generated schema of the payload (`OrderConfirmedSchema`). */
  schema: Desc;
  payload: MessageShape<Desc>;
  /** Events of one aggregate are published in the order they were recorded. */
  aggregateId: string;
  /** The aggregate's version after the change (0 when the producer keeps none). */
  aggregateVersion?: bigint | number;
  /** Default a new UUIDv7; recording an id twice is a no-op (idempotent retries). */
  eventId?: string;
  /** Default now. */
  occurredAt?: Date;
}

/**
 * Records a domain event in the caller's transaction (the transactional outbox): it is published if
 * and only if that transaction commits, with the trace context active now. Returns the event id.
 */
export async function recordEvent<Desc extends DescMessage>(
  trx: Transaction<AnySchema> | Kysely<AnySchema>,
  event: RecordEvent<Desc>,
): Promise<string> {
  const subject = eventSubject(event.source, event.event);
  const eventId = event.eventId ?? uuidv7();
  const envelope = buildEnvelope({
    eventId,
    source: event.source,
    aggregateId: event.aggregateId,
    aggregateVersion: BigInt(event.aggregateVersion ?? 0),
    occurredAt: event.occurredAt ?? new Date(),
    schema: event.schema,
    payload: event.payload,
  });
  return enqueueOutbox(trx, {
    id: eventId,
    topic: subject,
    key: event.aggregateId,
    payload: toOutboxPayload(encodeEnvelope(envelope), captureTrace()),
  });
}
