import { skuProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { Item } from "../entities/item.ts";
import { itemNotFound } from "../inventory-errors.ts";
import type { ItemRepository } from "../ports/item.repository.port.ts";

export interface GetItemInput {
  sku: string;
}

export type GetItem = (input: GetItemInput) => Promise<Item>;

export function makeGetItem(deps: { items: ItemRepository }): GetItem {
  return async (input) => {
    const violations = new Violations();
    violations.check("sku", skuProblem(input.sku));
    violations.throwIfAny();

    const item = await deps.items.findBySku(input.sku);
    if (item === undefined) throw itemNotFound([input.sku]);
    return item;
  };
}
