import type { StockAdjustment } from "../entities/stock-adjustment.ts";

export type NewStockAdjustment = Omit<StockAdjustment, "id" | "sequence">;

export interface AdjustmentListQuery {
  sku: string;
  /** Keyset: only adjustments recorded after this sequence number. */
  afterSequence: number | undefined;
  limit: number;
}

/** The audit trail of on_hand changes. Entries are never changed or removed. */
export interface StockAdjustmentRepository {
  findByAdjustmentId(adjustmentId: string): Promise<StockAdjustment | undefined>;
  /** Assigns the id and sequence. */
  insert(adjustment: NewStockAdjustment): Promise<StockAdjustment>;
  /** Oldest first. */
  listBySku(query: AdjustmentListQuery): Promise<StockAdjustment[]>;
}
