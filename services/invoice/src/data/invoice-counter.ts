import type { Kysely, Transaction } from "kysely";
import type { InvoiceDatabase } from "./schema.ts";

/**
 * Takes the next sequence number of `year` inside the caller's transaction. One upsert both creates
 * the year's row on first use and increments it; its row lock is held until the transaction ends,
 * which serialises concurrent issues of the same year, and a rollback undoes the increment. That is
 * what makes numbers gapless (a sequence object would skip numbers on rollback).
 */
export async function nextInvoiceSequence(
  trx: Transaction<InvoiceDatabase> | Kysely<InvoiceDatabase>,
  year: number,
): Promise<number> {
  const row = await trx
    .insertInto("invoice_counters")
    .values({ year, last: 1 })
    .onConflict((conflict) =>
      conflict.column("year").doUpdateSet((eb) => ({ last: eb("invoice_counters.last", "+", 1) })),
    )
    .returning("last")
    .executeTakeFirstOrThrow();
  return row.last;
}
