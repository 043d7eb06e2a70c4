import { skuProblem } from "@orderly/contracts/rules";
import { decodePageToken, encodePageToken, resolvePageSize, Violations } from "@orderly/kit/domain";
import type { Item } from "../entities/item.ts";
import type { ItemRepository } from "../ports/item.repository.port.ts";
import { readKeysetPage } from "../values/keyset-page.ts";

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

export function makeListItems(deps: { items: ItemRepository }): ListItems {
  return async (input) => {
    const violations = new Violations();
    const limit = resolvePageSize(input.pageSize, violations);
    const afterSku = decodePageToken(ITEMS_LIST, input.pageToken, isItemsPosition, violations)?.afterSku;
    const skus = input.skus !== undefined && input.skus.length > 0 ? input.skus : undefined;
    if (skus !== undefined && violations.check("skus", tooManySkus(skus))) {
      for (const [index, sku] of skus.entries()) violations.check(`skus[${index}]`, skuProblem(sku));
    }
    violations.throwIfAny();

    const page = await readKeysetPage(
      limit,
      (rows) => deps.items.list({ afterSku, limit: rows, skus }),
      (last) => encodePageToken(ITEMS_LIST, { afterSku: last.sku }),
    );
    return { items: page.rows, nextPageToken: page.nextPageToken };
  };
}

/** Page tokens of this list name it, so a token from another list is refused. */
const ITEMS_LIST = "items";

function isItemsPosition(body: Readonly<Record<string, unknown>>): body is { afterSku: string } {
  return typeof body.afterSku === "string";
}

function tooManySkus(skus: readonly string[]): string | undefined {
  return skus.length > MAX_SKU_FILTER ? `must list at most ${MAX_SKU_FILTER} SKUs` : undefined;
}
