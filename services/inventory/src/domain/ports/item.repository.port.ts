import type { Item } from "../entities/item.ts";
import type { Money } from "../values/money.ts";

export interface ItemListQuery {
  /** Keyset: only SKUs sorting after this one. */
  afterSku: string | undefined;
  limit: number;
  /** When set, only these SKUs. */
  skus: readonly string[] | undefined;
}

export interface UpsertItemRecord {
  sku: string;
  name: string;
  unitPrice: Money;
  now: Date;
}

/** Items and their stock levels. Every write keeps 0 <= reserved <= on_hand. */
export interface ItemRepository {
  findBySku(sku: string, options?: { forUpdate?: boolean }): Promise<Item | undefined>;
  /** Items ordered by SKU. */
  list(query: ItemListQuery): Promise<Item[]>;
  /** Creates the item with no stock, or replaces its name and price. */
  upsert(record: UpsertItemRecord): Promise<{ item: Item; created: boolean }>;
  setOnHand(sku: string, onHand: number, now: Date): Promise<Item>;
}
