import type { AddressColumns } from "@orderly/kit/db";
import type { ColumnType } from "kysely";
import type { ShipmentStatus } from "../domain/shipment-status.ts";

/** One element of the `lines` jsonb array. */
export interface ShipmentLineRow {
  sku: string;
  quantity: number;
}

/** migrations/0001_init.sql, 0002_shipment_customer.sql (the address_* columns: AddressColumns) */
export interface ShipmentsTable extends AddressColumns {
  id: string;
  order_id: string;
  customer_id: string;
  status: ShipmentStatus;
  /** jsonb: written as JSON text (see shipment-row.mapper.ts), read back parsed. */
  lines: ColumnType<ShipmentLineRow[], string, string>;
  carrier: string | null;
  tracking_number: string | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The fulfillment database as Kysely sees it (the kit's own tables are typed by the kit). */
export interface DB {
  shipments: ShipmentsTable;
}
