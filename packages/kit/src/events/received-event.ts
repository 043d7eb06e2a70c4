import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { EventEnvelope } from "@orderly/contracts/events";
import { unpackEnvelope } from "./event-envelope.ts";

/** One event as a consumer's handler sees it. */
export interface ReceivedEvent {
  id: string;
  /** Full protobuf name of the payload (`orderly.order.v1.OrderConfirmed`). */
  type: string;
  source: string;
  subject: string;
  occurredAt: Date | undefined;
  aggregateId: string;
  aggregateVersion: bigint;
  /** 1 on the first delivery. */
  attempt: number;
  envelope: EventEnvelope;
}

/**
 * The payload as `schema`, or undefined when the event is of another type (a handler ignores
 * events it does not know, so producers can add events without breaking consumers).
 */
export function eventPayload<Desc extends DescMessage>(
  event: ReceivedEvent,
  schema: Desc,
): MessageShape<Desc> | undefined {
  return unpackEnvelope(event.envelope, schema);
}
