import type { Transaction } from "kysely";
import type { AnySchema } from "./any-schema.ts";
import type { KitTables } from "./kit-tables.ts";

/**
 * Records that an event was received, in the transaction that handles it. Returns true the first
 * time (source, id) is seen and false for a duplicate, so at-least-once delivery becomes
 * effectively-once: handle the event only when this returns true, in the same transaction.
 */
export async function recordInboxOnce(
  trx: Transaction<AnySchema>,
  event: { id: string; source: string },
): Promise<boolean> {
  const inserted = await (trx as Transaction<KitTables>)
    .insertInto("kit_inbox")
    .values({ source: event.source, id: event.id })
    .onConflict((oc) => oc.columns(["source", "id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}
