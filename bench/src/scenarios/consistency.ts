import { type Database, openDatabase } from "@orderly/kit/db";
import type { ConsistencyResult } from "../lib/result.ts";
import type { OrderLedger } from "./order-ledger.ts";
import { SEED_MARKERS } from "./seed-orders.ts";
import { HOT_SKU, SEED_STOCK, SKUS } from "./stack.ts";

/** The columns the check reads, per service database (see services/<name>/migrations). */
interface OrderDb {
  orders: {
    id: string;
    idempotency_key: string;
    status: string;
    lines: unknown;
    currency: string | null;
    total_minor: number | null;
    reservation_id: string | null;
    invoice_id: string | null;
    shipment_id: string | null;
  };
}
interface InventoryDb {
  items: { sku: string; on_hand: number; reserved: number };
  reservations: { reservation_id: string; status: string };
  reservation_lines: { reservation_id: string; sku: string; quantity: number };
}
interface InvoiceDb {
  invoices: { id: string; order_id: string; status: string; total_minor: number; currency_code: string };
}
interface FulfillmentDb {
  shipments: { id: string; order_id: string; status: string };
}

const MAX_LISTED = 5;

async function read<DB, T>(url: string, query: (db: Database<DB>) => Promise<T>): Promise<T> {
  const database = await openDatabase<DB>({ url, poolSize: 1 });
  try {
    return await query(database);
  } finally {
    await database.close();
  }
}

function linesOf(value: unknown): { sku: string; quantity: number }[] {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return (parsed as { sku: string; quantity: number }[]).map((l) => ({
    sku: l.sku,
    quantity: Number(l.quantity),
  }));
}

/**
 * Orders, stock, invoices and shipments agree, read straight from the four databases after the
 * services stopped:
 * - no lost or duplicated order: every acknowledged id exists, no order exists that no request was
 *   acknowledged with, no two requests were answered with the same order, none is left PENDING;
 * - every CONFIRMED order has exactly one ISSUED invoice (the one it names, same total) and exactly
 *   one live shipment (the one it names), and its reservation is HELD with the order's lines;
 * - orders that did not confirm hold nothing: no issued invoice, no live shipment, no held stock;
 * - no invoice or shipment belongs to an unknown order;
 * - per SKU, reserved stock equals the quantities of CONFIRMED orders and on-hand stock is what was
 *   seeded (nothing ships during the bench).
 */
export async function checkConsistency(
  urls: Record<string, string>,
  ledger: OrderLedger,
): Promise<ConsistencyResult> {
  const problems: string[] = [];
  const problem = (what: string, ids: string[]) => {
    if (ids.length > 0)
      problems.push(
        `${what}: ${ids.length} (${ids.slice(0, MAX_LISTED).join(", ")}${ids.length > MAX_LISTED ? ", …" : ""})`,
      );
  };

  const orders = await read<OrderDb, Omit<OrderDb["orders"], "idempotency_key">[]>(
    urls.order as string,
    (d) =>
      d.db
        .selectFrom("orders")
        .select([
          "id",
          "status",
          "lines",
          "currency",
          "total_minor",
          "reservation_id",
          "invoice_id",
          "shipment_id",
        ])
        // Rows of the pre-seeded scenario (seed-orders.ts) are not the bench's orders.
        .where("idempotency_key", "not like", `${SEED_MARKERS.idempotencyKeyPrefix}%`)
        .execute(),
  );
  const inventory = await read<
    InventoryDb,
    {
      items: InventoryDb["items"][];
      reservations: InventoryDb["reservations"][];
      lines: InventoryDb["reservation_lines"][];
    }
  >(urls.inventory as string, async (d) => ({
    items: await d.db.selectFrom("items").select(["sku", "on_hand", "reserved"]).execute(),
    reservations: await d.db
      .selectFrom("reservations")
      .select(["reservation_id", "status"])
      .where("reservation_id", "not like", `${SEED_MARKERS.reservationIdPrefix}%`)
      .execute(),
    lines: await d.db
      .selectFrom("reservation_lines")
      .select(["reservation_id", "sku", "quantity"])
      .where("reservation_id", "not like", `${SEED_MARKERS.reservationIdPrefix}%`)
      .execute(),
  }));
  const invoices = await read<InvoiceDb, InvoiceDb["invoices"][]>(urls.invoice as string, (d) =>
    d.db
      .selectFrom("invoices")
      .select(["id", "order_id", "status", "total_minor", "currency_code"])
      .where("order_id", "not like", `${SEED_MARKERS.orderIdPrefix}%`)
      .execute(),
  );
  const shipments = await read<FulfillmentDb, FulfillmentDb["shipments"][]>(urls.fulfillment as string, (d) =>
    d.db
      .selectFrom("shipments")
      .select(["id", "order_id", "status"])
      .where("order_id", "not like", `${SEED_MARKERS.orderIdPrefix}%`)
      .execute(),
  );

  // No lost or duplicated order.
  const orderById = new Map(orders.map((o) => [String(o.id), o]));
  problem(
    "acknowledged orders missing from the order database",
    ledger.ids().filter((id) => !orderById.has(id)),
  );
  problem(
    "orders in the database that no request was acknowledged with",
    [...orderById.keys()].filter((id) => !ledger.orders.has(id)),
  );
  problem("orders acknowledged to two different idempotency keys", ledger.duplicates);
  problem("requests never acknowledged, even when replayed", [...ledger.outstanding.keys()]);
  problem(
    "orders still PENDING",
    orders.filter((o) => o.status === "PENDING").map((o) => String(o.id)),
  );

  const group = <T>(rows: T[], key: (row: T) => string) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const k = key(row);
      const list = map.get(k);
      if (list) list.push(row);
      else map.set(k, [row]);
    }
    return map;
  };
  const invoicesByOrder = group(invoices, (i) => String(i.order_id));
  const shipmentsByOrder = group(shipments, (s) => String(s.order_id));
  const reservationById = new Map(inventory.reservations.map((r) => [r.reservation_id, r]));
  const reservationLines = group(inventory.lines, (l) => l.reservation_id);

  const confirmedReserved = new Map<string, number>();
  const bad = {
    invoice: [] as string[],
    shipment: [] as string[],
    reservation: [] as string[],
    leftovers: [] as string[],
  };
  for (const order of orders) {
    const id = String(order.id);
    const orderInvoices = invoicesByOrder.get(id) ?? [];
    const orderShipments = shipmentsByOrder.get(id) ?? [];
    const issued = orderInvoices.filter((i) => i.status !== "VOID");
    const live = orderShipments.filter((s) => s.status !== "CANCELLED");
    const reservation = order.reservation_id ? reservationById.get(order.reservation_id) : undefined;
    if (order.status === "CONFIRMED") {
      const lines = linesOf(order.lines);
      for (const l of lines) confirmedReserved.set(l.sku, (confirmedReserved.get(l.sku) ?? 0) + l.quantity);
      const invoice = orderInvoices[0];
      if (
        orderInvoices.length !== 1 ||
        !invoice ||
        invoice.status !== "ISSUED" ||
        String(invoice.id) !== order.invoice_id ||
        Number(invoice.total_minor) !== Number(order.total_minor) ||
        invoice.currency_code !== order.currency
      )
        bad.invoice.push(id);
      const shipment = orderShipments[0];
      if (
        orderShipments.length !== 1 ||
        !shipment ||
        shipment.status === "CANCELLED" ||
        String(shipment.id) !== order.shipment_id
      )
        bad.shipment.push(id);
      const held =
        reservation && order.reservation_id ? (reservationLines.get(order.reservation_id) ?? []) : [];
      const sameLines =
        held.length === lines.length &&
        lines.every((l) => held.some((h) => h.sku === l.sku && Number(h.quantity) === l.quantity));
      if (reservation?.status !== "HELD" || !sameLines) bad.reservation.push(id);
    } else if (issued.length > 0 || live.length > 0 || reservation?.status === "HELD") {
      bad.leftovers.push(id);
    }
  }
  problem("CONFIRMED orders without exactly one matching ISSUED invoice", bad.invoice);
  problem("CONFIRMED orders without exactly one matching live shipment", bad.shipment);
  problem("CONFIRMED orders whose reservation is not HELD with the order's lines", bad.reservation);
  problem("orders not CONFIRMED still holding an invoice, a shipment or stock", bad.leftovers);
  problem(
    "invoices of unknown orders",
    invoices.filter((i) => !orderById.has(String(i.order_id))).map((i) => String(i.id)),
  );
  problem(
    "shipments of unknown orders",
    shipments.filter((s) => !orderById.has(String(s.order_id))).map((s) => String(s.id)),
  );
  const heldIds = new Set(orders.filter((o) => o.status === "CONFIRMED").map((o) => o.reservation_id));
  problem(
    "HELD reservations no CONFIRMED order names",
    inventory.reservations
      .filter((r) => r.status === "HELD" && !heldIds.has(r.reservation_id))
      .map((r) => r.reservation_id),
  );

  // Stock: reserved = confirmed quantities; on hand untouched.
  const skus = [...SKUS, HOT_SKU];
  const itemBySku = new Map(inventory.items.map((i) => [i.sku, i]));
  const stockMismatch: string[] = [];
  for (const sku of skus) {
    const item = itemBySku.get(sku);
    const expected = confirmedReserved.get(sku) ?? 0;
    if (!item || Number(item.reserved) !== expected || Number(item.on_hand) !== SEED_STOCK)
      stockMismatch.push(`${sku} reserved ${item?.reserved} expected ${expected}, on hand ${item?.on_hand}`);
  }
  problem("SKUs whose stock disagrees with the orders", stockMismatch);

  const byStatus: Record<string, number> = {};
  for (const o of orders) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  return {
    ok: problems.length === 0,
    problems,
    counts: {
      acknowledged: ledger.orders.size,
      orders: orders.length,
      byStatus,
      invoices: invoices.length,
      shipments: shipments.length,
      skusChecked: skus.length,
      hotSku: {
        onHand: Number(itemBySku.get(HOT_SKU)?.on_hand ?? 0),
        reserved: Number(itemBySku.get(HOT_SKU)?.reserved ?? 0),
        confirmedQuantity: confirmedReserved.get(HOT_SKU) ?? 0,
      },
    },
  };
}
