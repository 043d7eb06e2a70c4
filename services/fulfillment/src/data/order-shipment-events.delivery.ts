import type { OrderService } from "@orderly/contracts/order";
import type { OutboxMessage } from "@orderly/kit/db";
import type { Client } from "@orderly/kit/grpc";
import { isShipmentStatus } from "../domain/shipment-status.ts";
import { shipmentEventFields } from "./shipment-event.fields.ts";
import type { ShipmentStatusChangedPayload } from "./shipment-status-changed.payload.ts";

/**
 * The outbox relay's `deliver` for shipment.status_changed: one RecordShipmentEvent call to the order
 * service. Any answer acknowledges the event (`duplicate: true` too: order already has it); any error
 * throws, so the relay retries with backoff and dead-letters after its max attempts. That includes
 * NOT_FOUND for an order the order service does not know: it holds back only that shipment's events.
 */
export function orderShipmentEventDelivery(
  order: Pick<Client<typeof OrderService>, "recordShipmentEvent">,
): (message: OutboxMessage) => Promise<void> {
  return async (message) => {
    const payload = readPayload(message);
    await order.recordShipmentEvent(
      { event: shipmentEventFields(payload) },
      // The event id: lets the client retry the call, and order deduplicates on it anyway.
      { idempotencyKey: payload.event_id },
    );
  };
}

/** The payload as toPayload wrote it; anything else is a bug, reported (and retried) as an error. */
export function readPayload(message: OutboxMessage): ShipmentStatusChangedPayload {
  const p = message.payload as Partial<Record<keyof ShipmentStatusChangedPayload, unknown>> | null;
  const strings = [
    "event_id",
    "shipment_id",
    "order_id",
    "carrier",
    "tracking_number",
    "occurred_at",
  ] as const;
  const wellFormed =
    typeof p === "object" &&
    p !== null &&
    strings.every((key) => typeof p[key] === "string") &&
    isShipmentStatus(p.status) &&
    !Number.isNaN(Date.parse(p.occurred_at as string));
  if (!wellFormed) throw new Error(`outbox message ${message.id} is not a shipment.status_changed payload`);
  return p as ShipmentStatusChangedPayload;
}
