import type { Money } from "./money.ts";

export const OrderStatus = {
  PENDING: "PENDING",
  CONFIRMED: "CONFIRMED",
  SHIPPED: "SHIPPED",
  DELIVERED: "DELIVERED",
  REJECTED: "REJECTED",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** States an order never leaves; a watch ends there. */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.DELIVERED,
  OrderStatus.REJECTED,
  OrderStatus.FAILED,
  OrderStatus.CANCELLED,
]);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export interface Address {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  countryCode: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  /** Set once inventory reserved the stock and answered with its price. */
  unitPrice: Money | undefined;
  lineTotal: Money | undefined;
}

export interface OrderTotals {
  subtotal: Money;
  tax: Money;
  total: Money;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLine[];
  shippingAddress: Address;
  /** Taken from the invoice, so the order's totals always equal the invoice's. */
  totals: OrderTotals | undefined;
  reservationId: string | undefined;
  invoiceId: string | undefined;
  shipmentId: string | undefined;
  /** Why the order is REJECTED, FAILED or CANCELLED: an error reason such as INSUFFICIENT_STOCK. */
  statusReason: string;
  /** Set by CancelOrder; the saga honours it while the order is still cancellable. */
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic-concurrency version: a save based on a stale read fails and is redone. */
  version: number;
}
