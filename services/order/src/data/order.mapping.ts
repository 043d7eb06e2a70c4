import { addressToJson } from "@orderly/contracts/json-schemas";
import type { Order, OrderStatus } from "../domain/order.ts";
import type { SagaPhase, SagaState } from "../domain/saga/saga-state.ts";
import type { OrderRow, StoredAddress, StoredLine } from "./schema.ts";

/** jsonb arrives parsed from pg and PGlite alike; a string only if a driver is configured otherwise. */
function json<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/** The peers' ids an order collects as its saga runs: one nullable column each, unset until known. */
const PEER_ID_COLUMNS = {
  reservationId: "reservation_id",
  invoiceId: "invoice_id",
  shipmentId: "shipment_id",
} as const satisfies Partial<Record<keyof Order, keyof OrderRow>>;
type PeerIdField = keyof typeof PEER_ID_COLUMNS;
type PeerIdColumn = (typeof PEER_ID_COLUMNS)[PeerIdField];
const PEER_ID_FIELDS = Object.keys(PEER_ID_COLUMNS) as PeerIdField[];

function peerIdsFromRow(row: OrderRow): Pick<Order, PeerIdField> {
  return Object.fromEntries(
    PEER_ID_FIELDS.map((field) => [field, row[PEER_ID_COLUMNS[field]] ?? undefined]),
  ) as Pick<Order, PeerIdField>;
}

function peerIdColumns(order: Order): Pick<OrderRow, PeerIdColumn> {
  return Object.fromEntries(
    PEER_ID_FIELDS.map((field) => [PEER_ID_COLUMNS[field], order[field] ?? null]),
  ) as Pick<OrderRow, PeerIdColumn>;
}

export function orderFromRow(row: OrderRow): Order {
  const lines = json<StoredLine[]>(row.lines);
  const address = json<StoredAddress>(row.shipping_address);
  const money = (amountMinor: number | null) =>
    row.currency !== null && amountMinor !== null ? { currency: row.currency, amountMinor } : undefined;
  const subtotal = money(row.subtotal_minor);
  const tax = money(row.tax_minor);
  const total = money(row.total_minor);
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as OrderStatus,
    lines: lines.map((l) => {
      const unitPrice =
        l.unit_price_minor !== null && l.currency !== null
          ? { currency: l.currency, amountMinor: l.unit_price_minor }
          : undefined;
      return {
        sku: l.sku,
        quantity: l.quantity,
        name: l.name ?? undefined,
        unitPrice,
        lineTotal: unitPrice
          ? { currency: unitPrice.currency, amountMinor: unitPrice.amountMinor * l.quantity }
          : undefined,
      };
    }),
    shippingAddress: {
      name: address.name,
      line1: address.line1,
      line2: address.line2,
      city: address.city,
      postalCode: address.postal_code,
      countryCode: address.country_code,
    },
    totals: subtotal && tax && total ? { subtotal, tax, total } : undefined,
    ...peerIdsFromRow(row),
    statusReason: row.status_reason,
    cancelRequested: row.cancel_requested,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** The columns an order writes (everything but identity and idempotency). */
export function orderColumns(order: Order) {
  const lines: StoredLine[] = order.lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    unit_price_minor: l.unitPrice?.amountMinor ?? null,
    currency: l.unitPrice?.currency ?? null,
    name: l.name ?? null,
  }));
  // Stored in the proto's snake_case JSON form, the one the HTTP API uses (typed as StoredAddress,
  // so a change to that form that the reader above would not understand fails to compile).
  const address: StoredAddress = addressToJson(order.shippingAddress);
  return {
    customer_id: order.customerId,
    status: order.status,
    lines: JSON.stringify(lines),
    shipping_address: JSON.stringify(address),
    currency: order.totals?.total.currency ?? null,
    subtotal_minor: order.totals?.subtotal.amountMinor ?? null,
    tax_minor: order.totals?.tax.amountMinor ?? null,
    total_minor: order.totals?.total.amountMinor ?? null,
    ...peerIdColumns(order),
    status_reason: order.statusReason,
    cancel_requested: order.cancelRequested,
    updated_at: order.updatedAt,
  };
}

export function sagaFromRow(row: OrderRow): SagaState {
  return {
    phase: row.saga_phase as SagaPhase,
    targetStatus: (row.saga_target_status ?? undefined) as OrderStatus | undefined,
    reason: row.saga_reason,
    attempts: row.saga_attempts,
    nextAttemptAt: row.saga_next_attempt_at,
    lastError: row.saga_last_error,
  };
}

export function sagaColumns(saga: SagaState) {
  return {
    saga_phase: saga.phase,
    saga_target_status: saga.targetStatus ?? null,
    saga_reason: saga.reason,
    saga_attempts: saga.attempts,
    saga_next_attempt_at: saga.nextAttemptAt,
    saga_last_error: saga.lastError.slice(0, 1000),
  };
}
