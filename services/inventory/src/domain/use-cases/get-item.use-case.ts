import type { Item } from "../entities/item.ts";
import { itemNotFound } from "../errors/inventory-errors.ts";
import type { InventoryStore } from "../ports/inventory-store.port.ts";
import { skuProblem } from "../values/sku.ts";
import { Violations } from "../values/violations.ts";

export interface GetItemInput {
  sku: string;
}

export type GetItem = (input: GetItemInput) => Promise<Item>;

export function makeGetItem(deps: { store: InventoryStore }): GetItem {
  return async (input) => {
    const violations = new Violations();
    violations.check("sku", skuProblem(input.sku));
    violations.throwIfAny();

    const item = await deps.store.items.findBySku(input.sku);
    if (item === undefined) throw itemNotFound([input.sku]);
    return item;
  };
}
