import { addressColumns, addressFromColumns } from "@orderly/kit/db";
import { type InsertObject, type RawBuilder, type Selectable, sql } from "kysely";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { ShipmentColumns } from "./create-shipment.statement.ts";
import type { DB, ShipmentLineRow, ShipmentsTable } from "./schema.ts";

export type ShipmentRow = Selectable<ShipmentsTable>;

export function toShipment(row: ShipmentRow): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    lines: row.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    address: addressFromColumns(row),
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toInsertRow(shipment: Shipment): InsertObject<DB, "shipments"> {
  const columns = toShipmentColumns(shipment);
  return { ...columns, lines: jsonb(columns.lines) };
}

/** The columns of a new shipment's row, for the precompiled create statement (lines as JSON text). */
export function toShipmentColumns(shipment: Shipment): ShipmentColumns {
  return {
    id: shipment.id,
    order_id: shipment.orderId,
    customer_id: shipment.customerId,
    status: shipment.status,
    lines: JSON.stringify(
      shipment.lines.map((line): ShipmentLineRow => ({ sku: line.sku, quantity: line.quantity })),
    ),
    ...addressColumns(shipment.address),
    carrier: shipment.carrier,
    tracking_number: shipment.trackingNumber,
    cancel_reason: shipment.cancelReason,
    created_at: shipment.createdAt,
    updated_at: shipment.updatedAt,
  };
}

// Sent as text and cast in SQL: pg would turn a JS array into a PostgreSQL array, and PGlite would
// JSON-encode a string parameter a second time.
function jsonb(json: string): RawBuilder<string> {
  return sql<string>`cast(${json}::text as jsonb)`;
}
