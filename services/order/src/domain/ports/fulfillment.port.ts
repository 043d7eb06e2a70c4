import type { Address } from "../order.ts";
import type { OrderReason } from "../order-errors.ts";

export interface ShipmentRequest {
  orderId: string;
  customerId: string;
  lines: readonly { sku: string; quantity: number }[];
  address: Address;
}

export type ShipmentOutcome =
  | { kind: "created"; shipmentId: string }
  | { kind: "rejected"; reason: typeof OrderReason.SHIPMENT_REFUSED; message: string };

/** Fulfillment as the order saga needs it. Throws a transient AppError when fulfillment cannot answer. */
export interface FulfillmentPort {
  /** Idempotent per order id. */
  createShipment(request: ShipmentRequest): Promise<ShipmentOutcome>;
  /** Cancels the order's shipments, if any; idempotent; "already-shipped" when the parcel left. */
  cancelForOrder(orderId: string, reason: string): Promise<"cancelled" | "already-shipped">;
}
