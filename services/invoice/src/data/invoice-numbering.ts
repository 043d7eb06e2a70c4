import { type Kysely, sql } from "kysely";
import type { InvoiceDatabase } from "./schema.ts";

/**
 * Gives the oldest (issue time, then id) at most `batchSize` unnumbered invoices of one series and
 * year the next numbers, in one transaction; returns how many it numbered.
 *
 * Why it is gapless and duplicate-free across replicas: the first statement locks the counter row of
 * (series, year), creating it at 0 on first use, so numbering transactions of one series and year
 * run one after another. Each later statement takes a fresh snapshot (READ COMMITTED) after that
 * lock, so it sees every number a previous holder committed; the counter moves by exactly the rows
 * numbered, in the same transaction, and a failure rolls both back. The lock is held for three short
 * statements and never across a network call. SKIP LOCKED passes over a row another transaction is
 * changing right now (a concurrent void): it gets the next numbers in the following pass instead of
 * making this one wait. On PGlite (one connection) nothing runs concurrently and the locks are moot.
 */
export async function numberPendingBatch(
  db: Kysely<InvoiceDatabase>,
  series: string,
  year: number,
  batchSize: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const counter = await trx
      .insertInto("invoice_counters")
      .values({ series, year, last: 0 })
      .onConflict((conflict) =>
        // A no-op update, not DO NOTHING: it locks the existing row and returns it.
        conflict.columns(["series", "year"]).doUpdateSet((eb) => ({ last: eb.ref("invoice_counters.last") })),
      )
      .returning("last")
      .executeTakeFirstOrThrow();
    // FOR UPDATE cannot be combined with a window function, hence lock first, then rank.
    const numbered = await sql<{ id: string }>`
      with locked as (
        select id, issued_at from invoices
        where series = ${series} and year = ${year} and sequence is null
        order by issued_at, id
        limit ${batchSize}
        for update skip locked
      ), ranked as (
        select id, row_number() over (order by issued_at, id) as position from locked
      )
      update invoices set sequence = ${counter.last}::bigint + ranked.position
      from ranked where invoices.id = ranked.id
      returning invoices.id`.execute(trx);
    const count = numbered.rows.length;
    if (count > 0) {
      await trx
        .updateTable("invoice_counters")
        .set((eb) => ({ last: eb("last", "+", count) }))
        .where("series", "=", series)
        .where("year", "=", year)
        .execute();
    }
    return count;
  });
}

/** The series and years that have unnumbered invoices (a scan of a small partial index). */
export async function pendingNumberingKeys(
  db: Kysely<InvoiceDatabase>,
): Promise<{ series: string; year: number }[]> {
  return db
    .selectFrom("invoices")
    .select(["series", "year"])
    .distinct()
    .where("sequence", "is", null)
    .orderBy("series")
    .orderBy("year")
    .execute();
}
