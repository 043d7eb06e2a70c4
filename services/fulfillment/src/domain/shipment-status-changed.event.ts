import type { Shipment } from "./shipment.entity.ts";
import type { ShipmentStatus } from "./shipment-status.ts";

/**
 * Told to the order service on every status change (creation included), through the outbox.
 * `eventId` is unique per change: delivery is at least once and receivers deduplicate on it.
 */
export interface ShipmentStatusChanged {
  readonly eventId: string;
  readonly shipmentId: string;
  readonly orderId: string;
  readonly status: ShipmentStatus;
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  readonly occurredAt: Date;
}

/** The event for the status `shipment` has just reached. */
export function statusChanged(shipment: Shipment, eventId: string): ShipmentStatusChanged {
  return {
    eventId,
    shipmentId: shipment.id,
    orderId: shipment.orderId,
    status: shipment.status,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    occurredAt: shipment.updatedAt,
  };
}
