/** Domain-shaped values the client returns: plain objects, strings for statuses, Dates, numbers. */
import { statusNames } from "./status-names.ts";
import { type WireInvoiceStatus, WireOrderStatus, WireShipmentStatus } from "./wire.ts";

/** Integer minor units (cents for EUR, yen for JPY) plus the ISO 4217 code. Never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case (GB, DE, JP). */
  countryCode: string;
}

/** Every order status, in the proto's order (from the generated enum: the proto is the one list). */
export const ORDER_STATUSES = statusNames(WireOrderStatus);
export type OrderStatus = (typeof ORDER_STATUSES)[number] | "UNSPECIFIED";
/** Statuses an order never leaves; `orders.watch` ends on them. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  "DELIVERED",
  "REJECTED",
  "FAILED",
  "CANCELLED",
];

export interface OrderLine {
  sku: string;
  quantity: number;
  /** From inventory; absent while the order is PENDING before stock is reserved. */
  name?: string;
  unitPrice?: Money;
  lineTotal?: Money;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  /** Why it is REJECTED, FAILED or CANCELLED (an order reason such as OUT_OF_STOCK). */
  statusReason?: string;
  lines: OrderLine[];
  shippingAddress?: Address;
  /** Set once the invoice is issued. */
  subtotal?: Money;
  tax?: Money;
  total?: Money;
  invoiceId?: string;
  shipmentId?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface Page<T> {
  items: T[];
  /** Pass as `pageToken` for the next page; absent on the last page. */
  nextPageToken?: string;
}

export interface Item {
  sku: string;
  name: string;
  unitPrice?: Money;
  onHand: number;
  reserved: number;
  available: number;
  updatedAt?: Date;
}

export interface StockAdjustment {
  id: string;
  sku: string;
  delta: number;
  reason: string;
  onHandAfter: number;
  createdAt?: Date;
}

/** Every shipment status, in the proto's order (from the generated enum: the proto is the one list). */
export const SHIPMENT_STATUSES = statusNames(WireShipmentStatus);
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number] | "UNSPECIFIED";

export interface Shipment {
  id: string;
  orderId: string;
  status: ShipmentStatus;
  lines: { sku: string; quantity: number }[];
  address?: Address;
  carrier?: string;
  trackingNumber?: string;
  cancelReason?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Named as in the proto's InvoiceStatus, without its prefix. */
export type InvoiceStatus = keyof typeof WireInvoiceStatus;

export interface InvoiceLine {
  sku: string;
  description: string;
  quantity: number;
  unitPrice?: Money;
  lineTotal?: Money;
}

export interface Invoice {
  id: string;
  number: string;
  orderId: string;
  customer: { id: string; name: string; email?: string; address?: Address };
  currency: string;
  lines: InvoiceLine[];
  subtotal?: Money;
  /** Basis points: 2000 = 20 %. */
  taxRateBps: number;
  tax?: Money;
  total?: Money;
  status: InvoiceStatus;
  issuedAt?: Date;
  voidedAt?: Date;
  voidReason?: string;
}
