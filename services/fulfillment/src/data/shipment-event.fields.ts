import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ShipmentStatus as ShipmentStatusMessage } from "@orderly/contracts/fulfillment";
import type { ShipmentStatusChangedPayload } from "./shipment-status-changed.payload.ts";

/**
 * The payload as proto fields. fulfillment.proto's ShipmentEvent (pushed to order's
 * RecordShipmentEvent) and events.proto's ShipmentStatusChanged (published to the bus) carry the same
 * seven fields, so both deliveries build their message from this one mapping.
 */
export function shipmentEventFields(payload: ShipmentStatusChangedPayload) {
  return {
    eventId: payload.event_id,
    shipmentId: payload.shipment_id,
    orderId: payload.order_id,
    status: ShipmentStatusMessage[payload.status],
    carrier: payload.carrier,
    trackingNumber: payload.tracking_number,
    occurredAt: timestampFromDate(new Date(payload.occurred_at)),
  };
}
