import { type AppError, failedPrecondition, notFound } from "@orderly/kit/errors";
import type { ShipmentStatus } from "./shipment-status.ts";

/** Domain reasons, as listed in the proto's FulfillmentErrorReason without its prefix. */
export const FulfillmentReason = {
  SHIPMENT_NOT_FOUND: "SHIPMENT_NOT_FOUND",
  ILLEGAL_TRANSITION: "ILLEGAL_TRANSITION",
  ORDER_ALREADY_SHIPPING: "ORDER_ALREADY_SHIPPING",
} as const;

export type FulfillmentReason = (typeof FulfillmentReason)[keyof typeof FulfillmentReason];

export function shipmentNotFound(id: string): AppError {
  return notFound(FulfillmentReason.SHIPMENT_NOT_FOUND, `shipment ${id} not found`, { id });
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
