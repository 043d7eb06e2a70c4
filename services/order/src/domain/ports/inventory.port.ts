import type { Money } from "../money.ts";
import type { OrderReason } from "../order-errors.ts";

export interface ReservedLine {
  sku: string;
  name: string;
  unitPrice: Money;
}

export type ReserveOutcome =
  | { kind: "reserved"; lines: ReservedLine[] }
  /** All or nothing: nothing is held. */
  | {
      kind: "rejected";
      reason: typeof OrderReason.OUT_OF_STOCK | typeof OrderReason.SKU_NOT_FOUND;
      skus: string[];
    }
  /** The reservation exists but no longer holds stock (released or expired). */
  | { kind: "lost" };

/** Inventory as the order saga needs it. Throws a transient AppError when inventory cannot answer. */
export interface InventoryPort {
  /** Prices and holds every line, idempotently per reservation id. */
  reserve(
    reservationId: string,
    lines: readonly { sku: string; quantity: number }[],
  ): Promise<ReserveOutcome>;
  /** Gives the stock back; idempotent, and fine when nothing was ever reserved. */
  release(reservationId: string): Promise<void>;
  /** The goods left the warehouse: the held stock is gone for good. Idempotent. */
  commit(reservationId: string): Promise<"committed" | "lost">;
}
