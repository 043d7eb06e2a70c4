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
