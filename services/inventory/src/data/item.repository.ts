import { KyselyRepository } from "@orderly/kit/db";
import { type Selectable, sql } from "kysely";
import { type Item, itemFrom } from "../domain/entities/item.ts";
import type {
  ItemListQuery,
  ItemRepository,
  UpsertItemRecord,
} from "../domain/ports/item.repository.port.ts";
import type { InventoryDatabase, ItemsTable } from "./schema.ts";

export class KyselyItemRepository extends KyselyRepository<InventoryDatabase> implements ItemRepository {
  async findBySku(sku: string, options?: { forUpdate?: boolean }): Promise<Item | undefined> {
    const row = await this.db
      .selectFrom("items")
      .selectAll()
      .where("sku", "=", sku)
      .$if(options?.forUpdate === true, (query) => query.forUpdate())
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async list(query: ItemListQuery): Promise<Item[]> {
    const { afterSku, skus } = query;
    const rows = await this.db
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
    const row = await this.db
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

  async setOnHand(sku: string, onHand: number, now: Date): Promise<Item> {
    const row = await this.db
      .updateTable("items")
      .set({ on_hand: onHand, updated_at: now })
      .where("sku", "=", sku)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(row);
  }
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
