import { skuProblem, textProblem } from "@orderly/contracts/rules";
import { type Clock, Violations } from "@orderly/kit/domain";
import type { Item } from "../entities/item.ts";
import { isSameAdjustment, type StockAdjustment } from "../entities/stock-adjustment.ts";
import { adjustmentConflict, itemNotFound, stockBelowZero } from "../inventory-errors.ts";
import type { InventoryRepositories, UnitOfWork } from "../ports/unit-of-work.port.ts";
import { deltaProblem } from "../values/stock-delta.ts";

export const ADJUSTMENT_REASON_LIMITS = { min: 1, max: 200 } as const;
export const ADJUSTMENT_ID_LIMITS = { min: 1, max: 128 } as const;

export interface AdjustStockInput {
  sku: string;
  /** Non-zero; negative removes stock. */
  delta: number;
  /** Why, for the audit trail (1 to 200 characters). */
  reason: string;
  /**
   * The client's idempotency key (1 to 128 characters), required: a retried adjustment must apply
   * once, and only the client can tell a retry from a second delivery of the same goods.
   */
  adjustmentId: string | undefined;
}

export interface AdjustStockResult {
  /** The item as it is now (on a repeat, possibly changed since by other calls). */
  item: Item;
  /** The audit entry; on a repeat, the one the first call recorded. */
  adjustment: StockAdjustment;
}

/**
 * Changes on_hand by delta and records an audit entry, atomically. A repeat with the same
 * adjustment_id returns the first result and moves nothing; with another sku or delta it is
 * ADJUSTMENT_CONFLICT.
 */
export type AdjustStock = (input: AdjustStockInput) => Promise<AdjustStockResult>;

export function makeAdjustStock(deps: { unitOfWork: UnitOfWork; clock: Clock }): AdjustStock {
  return async (input) => {
    const violations = new Violations();
    violations.check("sku", skuProblem(input.sku));
    violations.check("delta", deltaProblem(input.delta));
    violations.check("reason", textProblem(input.reason, ADJUSTMENT_REASON_LIMITS));
    violations.check(
      "adjustment_id",
      // gRPC cannot tell "" from unset: both mean the key is missing.
      input.adjustmentId === undefined || input.adjustmentId === ""
        ? "is required: an idempotency key (1 to 128 characters) so that a retry applies once"
        : textProblem(input.adjustmentId, ADJUSTMENT_ID_LIMITS),
    );
    violations.throwIfAny();
    const adjustmentId = input.adjustmentId as string;

    const now = deps.clock.now();
    return deps.unitOfWork.transaction(async (repositories) => {
      const earlier = await repositories.adjustments.findByAdjustmentId(adjustmentId);
      if (earlier !== undefined) return replay(repositories, earlier, input);

      // The row lock serializes adjustments of one SKU, so the audit trail's order is the order
      // in which on_hand changed, and on_hand_after is exact.
      const item = await repositories.items.findBySku(input.sku, { forUpdate: true });
      if (item === undefined) throw itemNotFound([input.sku]);

      const onHandAfter = item.onHand + input.delta;
      if (!Number.isSafeInteger(onHandAfter)) {
        // Unreachable with real stock levels; refuse rather than store an imprecise number.
        violations.check("delta", "would take on_hand beyond the largest supported stock level");
        violations.throwIfAny();
      }
      if (onHandAfter < item.reserved) {
        throw stockBelowZero({
          sku: item.sku,
          onHand: item.onHand,
          reserved: item.reserved,
          delta: input.delta,
        });
      }

      const updated = await repositories.items.setOnHand(item.sku, onHandAfter, now);
      const adjustment = await repositories.adjustments.insert({
        sku: item.sku,
        delta: input.delta,
        reason: input.reason,
        onHandAfter,
        adjustmentId,
        createdAt: now,
      });
      return { item: updated, adjustment };
    });
  };
}

async function replay(
  repositories: InventoryRepositories,
  earlier: StockAdjustment,
  input: AdjustStockInput,
): Promise<AdjustStockResult> {
  if (!isSameAdjustment(earlier, input)) throw adjustmentConflict(earlier.adjustmentId ?? earlier.id);
  const item = await repositories.items.findBySku(earlier.sku);
  // Items are never deleted, so the adjusted item is still there.
  if (item === undefined) throw itemNotFound([earlier.sku]);
  return { item, adjustment: earlier };
}
