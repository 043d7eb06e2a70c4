import { skuProblem } from "@orderly/contracts/rules";
import { decodePageToken, encodePageToken, resolvePageSize, Violations } from "@orderly/kit/domain";
import type { StockAdjustment } from "../entities/stock-adjustment.ts";
import { itemNotFound } from "../inventory-errors.ts";
import type { ItemRepository } from "../ports/item.repository.port.ts";
import type { StockAdjustmentRepository } from "../ports/stock-adjustment.repository.port.ts";
import { readKeysetPage } from "../values/keyset-page.ts";

export interface ListAdjustmentsInput {
  sku: string;
  /** 1 to 100; 0 or absent means 50. */
  pageSize?: number | undefined;
  pageToken?: string | undefined;
}

export interface AdjustmentsPage {
  /** Oldest first: the SKU's audit trail in the order the changes took effect. */
  adjustments: StockAdjustment[];
  /** Undefined on the last page. */
  nextPageToken: string | undefined;
}

export type ListAdjustments = (input: ListAdjustmentsInput) => Promise<AdjustmentsPage>;

export function makeListAdjustments(deps: {
  items: ItemRepository;
  adjustments: StockAdjustmentRepository;
}): ListAdjustments {
  return async (input) => {
    const violations = new Violations();
    const skuOk = violations.check("sku", skuProblem(input.sku));
    const limit = resolvePageSize(input.pageSize, violations);
    // A token minted for another SKU is refused: its position means nothing in this SKU's trail.
    const afterSequence = skuOk
      ? decodePageToken(ADJUSTMENTS_LIST, input.pageToken, isPositionIn(input.sku), violations)?.afterSequence
      : undefined;
    violations.throwIfAny();

    // An unknown SKU is an error rather than an empty trail, so a typo does not look like "no changes".
    if ((await deps.items.findBySku(input.sku)) === undefined) throw itemNotFound([input.sku]);

    const page = await readKeysetPage(
      limit,
      (rows) => deps.adjustments.listBySku({ sku: input.sku, afterSequence, limit: rows }),
      (last) => encodePageToken(ADJUSTMENTS_LIST, { sku: input.sku, afterSequence: last.sequence }),
    );
    return { adjustments: page.rows, nextPageToken: page.nextPageToken };
  };
}

/** Page tokens of this list name it, so a token from another list is refused. */
const ADJUSTMENTS_LIST = "adjustments";

function isPositionIn(sku: string) {
  return (body: Readonly<Record<string, unknown>>): body is { sku: string; afterSequence: number } =>
    body.sku === sku && typeof body.afterSequence === "number" && Number.isSafeInteger(body.afterSequence);
}
