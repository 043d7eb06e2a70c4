import { type Kysely, type Selectable, sql } from "kysely";
import { type Item, itemFrom } from "../domain/entities/item.ts";
import type { RequestedLine } from "../domain/entities/reservation.ts";
import type {
  HeldLine,
  HoldOutcome,
  ItemListQuery,
  ItemRepository,
  UpsertItemRecord,
} from "../domain/ports/item.repository.port.ts";
import type { InventoryDatabase, ItemsTable } from "./schema.ts";

export class KyselyItemRepository implements ItemRepository {
  readonly #db: Kysely<InventoryDatabase>;

  /** `db` is the pool or a transaction; the repository never opens one itself. */
  constructor(db: Kysely<InventoryDatabase>) {
    this.#db = db;
  }

  async findBySku(sku: string, options?: { forUpdate?: boolean }): Promise<Item | undefined> {
    const row = await this.#db
      .selectFrom("items")
      .selectAll()
      .where("sku", "=", sku)
      .$if(options?.forUpdate === true, (query) => query.forUpdate())
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async list(query: ItemListQuery): Promise<Item[]> {
    const { afterSku, skus } = query;
    const rows = await this.#db
      .selectFrom("items")
      .selectAll()
      .$if(afterSku !== undefined, (q) => q.where("sku", ">", afterSku as string))
      .$if(skus !== undefined, (q) => q.where("sku", "in", skus as readonly string[]))
      .orderBy("sku")
      .limit(query.limit)
      .execute();
    return rows.map(toItem);
  }

  async upsert(record: UpsertItemRecord): Promise<{ item: Item; created: boolean }> {
    const row = await this.#db
      .insertInto("items")
      .values({
        sku: record.sku,
        name: record.name,
        unit_price_minor: record.unitPrice.amountMinor,
        currency_code: record.unitPrice.currencyCode,
        created_at: record.now,
        updated_at: record.now,
      })
      .onConflict((conflict) =>
        conflict.column("sku").doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          unit_price_minor: eb.ref("excluded.unit_price_minor"),
          currency_code: eb.ref("excluded.currency_code"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .returningAll()
      // xmax is 0 on a freshly inserted row version and set when ON CONFLICT updated an existing one.
      .returning(sql<boolean>`xmax = 0`.as("created"))
      .executeTakeFirstOrThrow();
    const { created, ...item } = row;
    return { item: toItem(item), created: created === true };
  }

  async hold(lines: readonly RequestedLine[], now: Date): Promise<HoldOutcome> {
    const held: HeldLine[] = [];
    const short: RequestedLine[] = [];
    for (const line of inLockOrder(lines)) {
      // One statement checks and writes the row under its lock: a concurrent hold of the same SKU
      // waits, then re-evaluates the condition against the committed row, so stock is never oversold.
      const row = await this.#db
        .updateTable("items")
        .set((eb) => ({ reserved: eb("reserved", "+", line.quantity), updated_at: now }))
        .where("sku", "=", line.sku)
        .where((eb) => eb(eb("on_hand", "-", eb.ref("reserved")), ">=", line.quantity))
        .returning(["sku", "unit_price_minor", "currency_code"])
        .executeTakeFirst();
      if (row === undefined) short.push(line);
      else
        held.push({
          sku: row.sku,
          unitPrice: { amountMinor: row.unit_price_minor, currencyCode: row.currency_code },
        });
    }
    if (short.length === 0) return { held, shortages: [], unknownSkus: [] };
    // Only after a miss: which of the lines left over name no item, and what the rest had available.
    const rows = await this.#db
      .selectFrom("items")
      .select((eb) => ["sku", eb("on_hand", "-", eb.ref("reserved")).as("available")])
      .where(
        "sku",
        "in",
        short.map((line) => line.sku),
      )
      .execute();
    const available = new Map(rows.map((row) => [row.sku, row.available]));
    return {
      held,
      shortages: short.flatMap((line) => {
        const left = available.get(line.sku);
        return left === undefined ? [] : [{ sku: line.sku, requested: line.quantity, available: left }];
      }),
      unknownSkus: short.filter((line) => !available.has(line.sku)).map((line) => line.sku),
    };
  }

  async unhold(lines: readonly RequestedLine[], now: Date): Promise<void> {
    for (const line of inLockOrder(lines)) {
      const result = await this.#db
        .updateTable("items")
        .set((eb) => ({ reserved: eb("reserved", "-", line.quantity), updated_at: now }))
        .where("sku", "=", line.sku)
        .executeTakeFirst();
      assertOneRow(result.numUpdatedRows, line.sku);
    }
  }

  async ship(lines: readonly RequestedLine[], now: Date): Promise<void> {
    for (const line of inLockOrder(lines)) {
      const result = await this.#db
        .updateTable("items")
        .set((eb) => ({
          on_hand: eb("on_hand", "-", line.quantity),
          reserved: eb("reserved", "-", line.quantity),
          updated_at: now,
        }))
        .where("sku", "=", line.sku)
        .executeTakeFirst();
      assertOneRow(result.numUpdatedRows, line.sku);
    }
  }

  async setOnHand(sku: string, onHand: number, now: Date): Promise<Item> {
    const row = await this.#db
      .updateTable("items")
      .set({ on_hand: onHand, updated_at: now })
      .where("sku", "=", sku)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(row);
  }
}

/** Every writer takes item rows in SKU order, so two transactions never wait on each other in a cycle. */
function inLockOrder(lines: readonly RequestedLine[]): RequestedLine[] {
  return [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

function assertOneRow(count: bigint | undefined, sku: string): void {
  // A held reservation names items that exist (foreign key); anything else is a bug, not bad input.
  if (count !== 1n) throw new Error(`expected to update item ${sku}, updated ${count ?? 0n} rows`);
}

function toItem(row: Selectable<ItemsTable>): Item {
  return itemFrom({
    sku: row.sku,
    name: row.name,
    unitPrice: { amountMinor: row.unit_price_minor, currencyCode: row.currency_code },
    onHand: row.on_hand,
    reserved: row.reserved,
    updatedAt: row.updated_at,
  });
}
