import { type AppError, failedPrecondition, notFound } from "@orderly/kit/errors";
import type { Shipment } from "./shipment.entity.ts";
import type { ShipmentStatus } from "./shipment-status.ts";

/** Domain reasons, as listed in the proto's FulfillmentErrorReason without its prefix. */
export const FulfillmentReason = {
  SHIPMENT_NOT_FOUND: "SHIPMENT_NOT_FOUND",
  ILLEGAL_TRANSITION: "ILLEGAL_TRANSITION",
  ORDER_ALREADY_SHIPPING: "ORDER_ALREADY_SHIPPING",
  ALREADY_SHIPPED: "ALREADY_SHIPPED",
} as const;

export type FulfillmentReason = (typeof FulfillmentReason)[keyof typeof FulfillmentReason];

export function shipmentNotFound(id: string): AppError {
  return notFound(FulfillmentReason.SHIPMENT_NOT_FOUND, `shipment ${id} not found`, { id });
}

export function noShipmentForOrder(orderId: string): AppError {
  return notFound(FulfillmentReason.SHIPMENT_NOT_FOUND, `order ${orderId} has no shipment`, {
    order_id: orderId,
  });
}

/** Cancelling too late: the parcel is with the carrier (or delivered) and cannot be called back. */
export function alreadyShipped(shipment: Shipment): AppError {
  return failedPrecondition(
    FulfillmentReason.ALREADY_SHIPPED,
    `shipment ${shipment.id} is ${shipment.status} and can no longer be cancelled`,
    { shipment_id: shipment.id, order_id: shipment.orderId, status: shipment.status },
  );
}

export function illegalTransition(from: ShipmentStatus, to: ShipmentStatus): AppError {
  return failedPrecondition(
    FulfillmentReason.ILLEGAL_TRANSITION,
    `a shipment cannot go from ${from} to ${to}`,
    { from, to },
  );
}

export function orderAlreadyShipping(orderId: string, shipmentId: string): AppError {
  return failedPrecondition(
    FulfillmentReason.ORDER_ALREADY_SHIPPING,
    `order ${orderId} already has a shipment with different content`,
    { order_id: orderId, shipment_id: shipmentId },
  );
}
