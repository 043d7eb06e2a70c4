import { skuProblem, textProblem } from "@orderly/contracts/rules";
import { type Clock, Violations } from "@orderly/kit/domain";
import type { Item } from "../entities/item.ts";
import type { ItemRepository } from "../ports/item.repository.port.ts";
import { checkPrice, type Money } from "../values/money.ts";

export const ITEM_NAME_LIMITS = { min: 1, max: 200 } as const;

export interface UpsertItemInput {
  sku: string;
  name: string;
  unitPrice: Money;
}

export interface UpsertItemResult {
  item: Item;
  /** True when the SKU did not exist before. */
  created: boolean;
}

/** Creates the item with no stock, or replaces its name and price; stock changes only through AdjustStock. */
export type UpsertItem = (input: UpsertItemInput) => Promise<UpsertItemResult>;

export function makeUpsertItem(deps: { items: ItemRepository; clock: Clock }): UpsertItem {
  return async (input) => {
    const violations = new Violations();
    violations.check("sku", skuProblem(input.sku));
    violations.check("name", textProblem(input.name, ITEM_NAME_LIMITS));
    checkPrice(input.unitPrice, "unit_price", violations);
    violations.throwIfAny();

    return deps.items.upsert({
      sku: input.sku,
      name: input.name,
      unitPrice: { amountMinor: input.unitPrice.amountMinor, currencyCode: input.unitPrice.currencyCode },
      now: deps.clock.now(),
    });
  };
}
