import type { ColumnType, Generated } from "kysely";
import type { ReservationStatus } from "../domain/entities/reservation.ts";

/*
 * The tables of migrations/*.sql as Kysely sees them. int8 columns are plain numbers: the kit's
 * drivers parse int8 to a JS number on both pg and PGlite (and fail loudly outside the safe range).
 */

type Timestamp = ColumnType<Date, Date, Date>;

export interface ItemsTable {
  sku: string;
  name: string;
  unit_price_minor: number;
  currency_code: string;
  on_hand: Generated<number>;
  reserved: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReservationsTable {
  reservation_id: string;
  status: ReservationStatus;
  created_at: Timestamp;
  expires_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReservationLinesTable {
  reservation_id: string;
  line_no: number;
  sku: string;
  quantity: number;
  name: string;
  unit_price_minor: number;
  currency_code: string;
}

export interface StockAdjustmentsTable {
  id: string;
  seq: ColumnType<number, never, never>;
  sku: string;
  delta: number;
  reason: string;
  on_hand_after: number;
  adjustment_id: string | null;
  created_at: Timestamp;
}

export interface InventoryDatabase {
  items: ItemsTable;
  reservations: ReservationsTable;
  reservation_lines: ReservationLinesTable;
  stock_adjustments: StockAdjustmentsTable;
}
