import type { ColumnType } from "kysely";
import type { ShipmentStatus } from "../domain/shipment-status.ts";

/** One element of the `lines` jsonb array. */
export interface ShipmentLineRow {
  sku: string;
  quantity: number;
}

/** migrations/0001_init.sql, 0002_shipment_customer.sql */
export interface ShipmentsTable {
  id: string;
  order_id: string;
  customer_id: string;
  status: ShipmentStatus;
  /** jsonb: written as JSON text (see shipment-row.mapper.ts), read back parsed. */
  lines: ColumnType<ShipmentLineRow[], string, string>;
  address_name: string;
  address_line1: string;
  address_line2: string;
  address_city: string;
  address_postal_code: string;
  address_country_code: string;
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
