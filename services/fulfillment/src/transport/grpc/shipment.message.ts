import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AddressSchema } from "@orderly/contracts/common";
import {
  type Shipment as ShipmentMessage,
  ShipmentSchema,
  ShipmentStatus as ShipmentStatusMessage,
} from "@orderly/contracts/fulfillment";
import type { Shipment } from "../../domain/shipment.entity.ts";

const STATUS_NAMES = new Map<number, string>(
  Object.entries(ShipmentStatusMessage).map(([name, value]) => [value, name]),
);

/**
 * A wire status number as the domain names statuses: "" for UNSPECIFIED (0, the proto3 default),
 * the bare number for one this build does not know, so the domain refuses it naming the field.
 */
export function statusName(value: number): string {
  if (value === ShipmentStatusMessage.UNSPECIFIED) return "";
  return STATUS_NAMES.get(value) ?? String(value);
}

/** Domain shipment -> wire shipment. The one place the shipment's gRPC shape is decided. */
export function toShipmentMessage(shipment: Shipment): ShipmentMessage {
  return create(ShipmentSchema, {
    id: shipment.id,
    orderId: shipment.orderId,
    customerId: shipment.customerId,
    status: ShipmentStatusMessage[shipment.status],
    lines: shipment.lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
    // The domain address has the wire's field names.
    address: create(AddressSchema, { ...shipment.address }),
    carrier: shipment.carrier ?? "",
    trackingNumber: shipment.trackingNumber ?? "",
    cancelReason: shipment.cancelReason ?? "",
    createdAt: timestampFromDate(shipment.createdAt),
    updatedAt: timestampFromDate(shipment.updatedAt),
  });
}
