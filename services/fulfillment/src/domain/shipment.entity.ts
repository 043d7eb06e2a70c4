import type { AddressFields } from "@orderly/contracts/rules";
import type { ShipmentStatus } from "./shipment-status.ts";

export interface ShipmentLine {
  readonly sku: string;
  readonly quantity: number;
}

/** The shared address fields (line2 "" when the address has no second line), as every service holds them. */
export type Address = Readonly<AddressFields>;

/** One shipment per order; its content (lines, address) never changes after creation. */
export interface Shipment {
  readonly id: string;
  readonly orderId: string;
  /** The order's customer; "" when the shipment was created without one. */
  readonly customerId: string;
  readonly status: ShipmentStatus;
  readonly lines: readonly ShipmentLine[];
  readonly address: Address;
  /** Assigned when the shipment becomes SHIPPED; null before. */
  readonly carrier: string | null;
  readonly trackingNumber: string | null;
  /** Set when the shipment is cancelled (possibly empty: a reason is optional). */
  readonly cancelReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
