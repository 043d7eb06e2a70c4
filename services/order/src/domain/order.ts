import type { AddressFields } from "@orderly/contracts/rules";
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
const TERMINAL: ReadonlySet<OrderStatus> = new Set([
  OrderStatus.DELIVERED,
  OrderStatus.REJECTED,
  OrderStatus.FAILED,
  OrderStatus.CANCELLED,
]);

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL.has(status);
}

/** A cancel can be honoured until the goods ship. */
export function isCancellable(status: OrderStatus): boolean {
  return status === OrderStatus.PENDING || status === OrderStatus.CONFIRMED;
}

export type Address = AddressFields;

export interface OrderLine {
  sku: string;
  quantity: number;
  /** Set once inventory reserved the stock and answered with its name and price. */
  name: string | undefined;
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
  /** Why the order is REJECTED, FAILED or CANCELLED: one of the order's own reasons (order-reasons.ts). */
  statusReason: string;
  /** Set by CancelOrder; the saga honours it while the order is still cancellable. */
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic-concurrency version: a save based on a stale read fails and is redone. */
  version: number;
}

/** Step idempotency keys derive from the order id, so no retry or resume does anything twice. */
export function reservationIdOf(orderId: string): string {
  return `${orderId}:reserve`;
}
