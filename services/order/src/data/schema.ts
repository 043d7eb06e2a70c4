import type { ColumnType, Selectable } from "kysely";

type Timestamp = Date;

export interface StoredLine {
  sku: string;
  quantity: number;
  unit_price_minor: number | null;
  currency: string | null;
  /** The item's name when it was reserved; absent on orders stored before names were kept. */
  name?: string | null;
}

export interface StoredAddress {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postal_code: string;
  country_code: string;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  status: string;
  lines: ColumnType<StoredLine[], string, string>;
  shipping_address: ColumnType<StoredAddress, string, string>;
  currency: string | null;
  subtotal_minor: number | null;
  tax_minor: number | null;
  total_minor: number | null;
  reservation_id: string | null;
  invoice_id: string | null;
  shipment_id: string | null;
  status_reason: string;
  cancel_requested: boolean;
  idempotency_key: string;
  request_fingerprint: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  saga_phase: string;
  saga_target_status: string | null;
  saga_reason: string;
  saga_attempts: number;
  saga_next_attempt_at: Timestamp;
  saga_last_error: string;
  lease_owner: string | null;
  lease_until: Timestamp | null;
}

export interface OrderDatabase {
  orders: OrdersTable;
}

export type OrderRow = Selectable<OrdersTable>;

/**
 * Every column of an order row, named: what statements return instead of `*`, so a prepared
 * statement's result keeps its shape when a migration adds a column (PostgreSQL refuses to run a
 * prepared statement whose result type changed: "cached plan must not change result type").
 */
export const ORDER_ROW_COLUMNS = Object.keys({
  id: true,
  customer_id: true,
  status: true,
  lines: true,
  shipping_address: true,
  currency: true,
  subtotal_minor: true,
  tax_minor: true,
  total_minor: true,
  reservation_id: true,
  invoice_id: true,
  shipment_id: true,
  status_reason: true,
  cancel_requested: true,
  idempotency_key: true,
  request_fingerprint: true,
  created_at: true,
  updated_at: true,
  version: true,
  saga_phase: true,
  saga_target_status: true,
  saga_reason: true,
  saga_attempts: true,
  saga_next_attempt_at: true,
  saga_last_error: true,
  lease_owner: true,
  lease_until: true,
} satisfies Record<keyof OrdersTable, true>) as (keyof OrdersTable)[];
