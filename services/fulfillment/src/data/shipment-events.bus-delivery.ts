import { create } from "@bufbuild/protobuf";
import type { JetStreamClient } from "@nats-io/jetstream";
import { ShipmentStatusChangedSchema } from "@orderly/contracts/fulfillment/events";
import type { OutboxMessage } from "@orderly/kit/db";
import {
  buildEnvelope,
  encodeEnvelope,
  eventPublisher,
  eventSubject,
  toOutboxPayload,
} from "@orderly/kit/events";
import { readPayload } from "./order-shipment-events.delivery.ts";
import { shipmentEventFields } from "./shipment-event.fields.ts";

/**
 * With EVENT_BUS_URL, the outbox relay's `deliver` publishes each shipment status change to NATS
 * JetStream (`orderly.fulfillment.shipment_<status>`, Nats-Msg-Id = event id, traceparent) instead
 * of pushing it to the order service over gRPC: any number of consumers can then react to it. The
 * outbox rows stay as they are, so a service switches delivery path without a migration.
 */
export function busShipmentEventDelivery(js: JetStreamClient): (message: OutboxMessage) => Promise<void> {
  const publish = eventPublisher({ js });
  return async (message) => {
    const payload = readPayload(message);
    const envelope = buildEnvelope({
      eventId: payload.event_id,
      source: "fulfillment",
      aggregateId: payload.shipment_id,
      aggregateVersion: 0n,
      occurredAt: new Date(payload.occurred_at),
      schema: ShipmentStatusChangedSchema,
      payload: create(ShipmentStatusChangedSchema, shipmentEventFields(payload)),
    });
    const subject = eventSubject("fulfillment", `shipment_${payload.status.toLowerCase()}`);
    await publish({ ...message, topic: subject, payload: toOutboxPayload(encodeEnvelope(envelope), {}) });
  };
}
