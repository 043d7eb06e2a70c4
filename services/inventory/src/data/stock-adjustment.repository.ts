import { KyselyRepository } from "@orderly/kit/db";
import type { Kysely, Selectable } from "kysely";
import type { StockAdjustment } from "../domain/entities/stock-adjustment.ts";
import type {
  AdjustmentListQuery,
  NewStockAdjustment,
  StockAdjustmentRepository,
} from "../domain/ports/stock-adjustment.repository.port.ts";
import type { InventoryDatabase, StockAdjustmentsTable } from "./schema.ts";

export class KyselyStockAdjustmentRepository
  extends KyselyRepository<InventoryDatabase>
  implements StockAdjustmentRepository
{
  readonly #newId: () => string;

  /** `newId` mints the UUIDv7 of each new entry. */
  constructor(db: Kysely<InventoryDatabase>, newId: () => string) {
    super(db);
    this.#newId = newId;
  }

  async findByAdjustmentId(adjustmentId: string): Promise<StockAdjustment | undefined> {
    const row = await this.db
      .selectFrom("stock_adjustments")
      .selectAll()
      .where("adjustment_id", "=", adjustmentId)
      .executeTakeFirst();
    return row === undefined ? undefined : toAdjustment(row);
  }

  async insert(adjustment: NewStockAdjustment): Promise<StockAdjustment> {
    const row = await this.db
      .insertInto("stock_adjustments")
      .values({
        id: this.#newId(),
        sku: adjustment.sku,
        delta: adjustment.delta,
        reason: adjustment.reason,
        on_hand_after: adjustment.onHandAfter,
        adjustment_id: adjustment.adjustmentId ?? null,
        created_at: adjustment.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAdjustment(row);
  }

  async listBySku(query: AdjustmentListQuery): Promise<StockAdjustment[]> {
    const { afterSequence } = query;
    const rows = await this.db
      .selectFrom("stock_adjustments")
      .selectAll()
      .where("sku", "=", query.sku)
      .$if(afterSequence !== undefined, (q) => q.where("seq", ">", afterSequence as number))
      .orderBy("seq")
      .limit(query.limit)
      .execute();
    return rows.map(toAdjustment);
  }
}

function toAdjustment(row: Selectable<StockAdjustmentsTable>): StockAdjustment {
  return {
    id: row.id,
    sequence: row.seq,
    sku: row.sku,
    delta: row.delta,
    reason: row.reason,
    onHandAfter: row.on_hand_after,
    adjustmentId: row.adjustment_id ?? undefined,
    createdAt: row.created_at,
  };
}
