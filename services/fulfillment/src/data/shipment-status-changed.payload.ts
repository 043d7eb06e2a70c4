import type { ShipmentStatus } from "../domain/shipment-status.ts";
import type { ShipmentStatusChanged } from "../domain/shipment-status-changed.event.ts";

/** Outbox topic of shipment status changes; the relay delivers them to order's RecordShipmentEvent. */
export const SHIPMENT_STATUS_CHANGED_TOPIC = "shipment.status_changed";

/**
 * The outbox payload: the proto's ShipmentEvent field for field (snake_case names), with the status
 * as its name without prefix ("SHIPPED"), the time as ISO 8601, and, as in proto3, "" for a carrier
 * or tracking number not assigned yet.
 */
export interface ShipmentStatusChangedPayload {
  event_id: string;
  shipment_id: string;
  order_id: string;
  status: ShipmentStatus;
  carrier: string;
  tracking_number: string;
  occurred_at: string;
}

export function toPayload(event: ShipmentStatusChanged): ShipmentStatusChangedPayload {
  return {
    event_id: event.eventId,
    shipment_id: event.shipmentId,
    order_id: event.orderId,
    status: event.status,
    carrier: event.carrier ?? "",
    tracking_number: event.trackingNumber ?? "",
    occurred_at: event.occurredAt.toISOString(),
  };
}
