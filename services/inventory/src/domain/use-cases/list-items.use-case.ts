import type { Item } from "../entities/item.ts";
import { resolvePageSize } from "../pagination/page-size.ts";
import { decodeItemsPageToken, encodeItemsPageToken } from "../pagination/page-token.ts";
import type { InventoryStore } from "../ports/inventory-store.port.ts";
import { skuProblem } from "../values/sku.ts";
import { Violations } from "../values/violations.ts";

export const MAX_SKU_FILTER = 100;

export interface ListItemsInput {
  /** 1 to 100; 0 or absent means 50. */
  pageSize?: number | undefined;
  /** From a previous page's nextPageToken. */
  pageToken?: string | undefined;
  /** When not empty, only these SKUs (unknown ones are left out). */
  skus?: readonly string[] | undefined;
}

export interface ItemsPage {
  /** Ordered by SKU. */
  items: Item[];
  /** Undefined on the last page. */
  nextPageToken: string | undefined;
}

export type ListItems = (input: ListItemsInput) => Promise<ItemsPage>;

export function makeListItems(deps: { store: InventoryStore }): ListItems {
  return async (input) => {
    const violations = new Violations();
    const limit = resolvePageSize(input.pageSize, violations);
    const afterSku = decodeItemsPageToken(input.pageToken, violations);
    const skus = input.skus !== undefined && input.skus.length > 0 ? input.skus : undefined;
    if (skus !== undefined && violations.check("skus", tooManySkus(skus))) {
      for (const [index, sku] of skus.entries()) violations.check(`skus[${index}]`, skuProblem(sku));
    }
    violations.throwIfAny();

    // One row more than the page tells whether another page follows without a count query.
    const rows = await deps.store.items.list({ afterSku, limit: limit + 1, skus });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextPageToken: rows.length > limit && last !== undefined ? encodeItemsPageToken(last.sku) : undefined,
    };
  };
}

function tooManySkus(skus: readonly string[]): string | undefined {
  return skus.length > MAX_SKU_FILTER ? `must list at most ${MAX_SKU_FILTER} SKUs` : undefined;
}
