import type { DescEnum } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type {
  Address,
  Invoice,
  InvoiceStatus,
  Item,
  Money,
  Order,
  OrderStatus,
  Shipment,
  ShipmentStatus,
  StockAdjustment,
} from "./types.ts";
import {
  InvoiceStatusSchema,
  OrderStatusSchema,
  ShipmentStatusSchema,
  toAddressMessage,
  type WireAddress,
  type WireInvoice,
  type WireItem,
  type WireMoney,
  type WireOrder,
  type WireShipment,
  type WireStockAdjustment,
} from "./wire.ts";

/** Wire messages -> the plain objects the client returns (no bigint, no enum numbers, no empty strings). */

/** int64 -> number; every Orderly quantity and amount fits, and a value that doesn't is refused, not rounded. */
export function toNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${value} does not fit in a JavaScript number`);
  return n;
}

export function money(m: WireMoney | undefined): Money | undefined {
  return m ? { amountMinor: toNumber(m.amountMinor), currency: m.currencyCode } : undefined;
}

/** Through the contracts' one address mapping; an absent line2 is the proto's empty string. */
export function toWireAddress(a: Address): WireAddress {
  return toAddressMessage({ ...a, line2: a.line2 ?? "" });
}

function address(a: WireAddress | undefined): Address | undefined {
  if (!a) return undefined;
  return {
    name: a.name,
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
  };
}

function date(t: Timestamp | undefined): Date | undefined {
  return t ? timestampDate(t) : undefined;
}

/** `ORDER_STATUS_CONFIRMED` (2) -> "CONFIRMED". */
function enumName<T extends string>(schema: DescEnum, value: number): T | "UNSPECIFIED" {
  const name = schema.value[value]?.localName;
  return name === undefined || value === 0 ? "UNSPECIFIED" : (name as T);
}

export function enumNumber(schema: DescEnum, name: string): number | undefined {
  const value = schema.values.find((v) => v.localName === name.toUpperCase());
  return value && value.number !== 0 ? value.number : undefined;
}

/** Keeps only entries that are set, so optional fields are absent rather than undefined or "". */
function present<T extends object>(fields: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== "")) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

export function order(o: WireOrder): Order {
  return {
    id: o.id,
    customerId: o.customerId,
    status: enumName<OrderStatus>(OrderStatusSchema, o.status),
    lines: o.lines.map((l) => ({
      sku: l.sku,
      quantity: toNumber(l.quantity),
      ...present({ name: l.name, unitPrice: money(l.unitPrice), lineTotal: money(l.lineTotal) }),
    })),
    ...present({
      statusReason: o.statusReason,
      shippingAddress: address(o.shippingAddress),
      subtotal: money(o.subtotal),
      tax: money(o.tax),
      total: money(o.total),
      invoiceId: o.invoiceId,
      shipmentId: o.shipmentId,
      createdAt: date(o.createdAt),
      updatedAt: date(o.updatedAt),
    }),
  };
}

export function item(i: WireItem): Item {
  return {
    sku: i.sku,
    name: i.name,
    onHand: toNumber(i.onHand),
    reserved: toNumber(i.reserved),
    available: toNumber(i.available),
    ...present({ unitPrice: money(i.unitPrice), updatedAt: date(i.updatedAt) }),
  };
}

export function adjustment(a: WireStockAdjustment): StockAdjustment {
  return {
    id: a.id,
    sku: a.sku,
    delta: toNumber(a.delta),
    reason: a.reason,
    onHandAfter: toNumber(a.onHandAfter),
    ...present({ createdAt: date(a.createdAt) }),
  };
}

export function shipment(s: WireShipment): Shipment {
  return {
    id: s.id,
    orderId: s.orderId,
    status: enumName<ShipmentStatus>(ShipmentStatusSchema, s.status),
    lines: s.lines.map((l) => ({ sku: l.sku, quantity: toNumber(l.quantity) })),
    ...present({
      address: address(s.address),
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      cancelReason: s.cancelReason,
      createdAt: date(s.createdAt),
      updatedAt: date(s.updatedAt),
    }),
  };
}

export function invoice(i: WireInvoice): Invoice {
  return {
    id: i.id,
    number: i.number,
    orderId: i.orderId,
    customer: {
      id: i.customer?.id ?? "",
      name: i.customer?.name ?? "",
      ...present({ email: i.customer?.email, address: address(i.customer?.address) }),
    },
    currency: i.currencyCode,
    lines: i.lines.map((l) => ({
      sku: l.sku,
      description: l.description,
      quantity: toNumber(l.quantity),
      ...present({ unitPrice: money(l.unitPrice), lineTotal: money(l.lineTotal) }),
    })),
    taxRateBps: i.taxRateBps,
    status: enumName<InvoiceStatus>(InvoiceStatusSchema, i.status),
    ...present({
      subtotal: money(i.subtotal),
      tax: money(i.tax),
      total: money(i.total),
      issuedAt: date(i.issuedAt),
      voidedAt: date(i.voidedAt),
      voidReason: i.voidReason,
    }),
  };
}
