import type { Item } from "../entities/item.ts";
import type { RequestedLine } from "../entities/reservation.ts";
import type { Shortage } from "../errors/inventory-errors.ts";
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

export interface HeldLine {
  sku: string;
  /** The unit price of the row that was held, read under the same lock. */
  unitPrice: Money;
}

export interface HoldOutcome {
  held: HeldLine[];
  /** The lines that could not be held, with what was available when they were tried. */
  shortages: Shortage[];
  /** SKUs of lines that name no item. */
  unknownSkus: string[];
}

/** Items and their stock levels. Every write keeps 0 <= reserved <= on_hand. */
export interface ItemRepository {
  findBySku(sku: string, options?: { forUpdate?: boolean }): Promise<Item | undefined>;
  /** Items ordered by SKU. */
  list(query: ItemListQuery): Promise<Item[]>;
  /** Creates the item with no stock, or replaces its name and price. */
  upsert(record: UpsertItemRecord): Promise<{ item: Item; created: boolean }>;
  /**
   * Moves each line's quantity from available to reserved, but only where that much is available,
   * checking and writing each row in one step so concurrent callers never oversell. Lines are
   * applied in SKU order (a fixed lock order, so concurrent holds cannot deadlock).
   *
   * When `shortages` or `unknownSkus` is not empty some lines may have been held anyway: the caller
   * must abort the transaction.
   */
  hold(lines: readonly RequestedLine[], now: Date): Promise<HoldOutcome>;
  /** Gives held units back: reserved drops by each quantity. */
  unhold(lines: readonly RequestedLine[], now: Date): Promise<void>;
  /** The goods left the warehouse: on_hand and reserved both drop by each quantity. */
  ship(lines: readonly RequestedLine[], now: Date): Promise<void>;
  setOnHand(sku: string, onHand: number, now: Date): Promise<Item>;
}
