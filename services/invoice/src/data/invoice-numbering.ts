import { precompile } from "@orderly/kit/db";
import { type Kysely, sql } from "kysely";
import type { InvoiceDatabase } from "./schema.ts";

/** An invoice the numberer just gave its number. */
export interface NumberedInvoice {
  id: string;
  series: string;
  year: number;
  sequence: number;
}

/**
 * Gives the oldest (issue time, then id) at most `batchSize` unnumbered invoices of each series and
 * year the next numbers, all in one transaction; returns what it numbered.
 *
 * Why it is gapless and duplicate-free across replicas: the first statement locks the counter rows
 * of every series and year that has unnumbered invoices (creating them at 0 on first use, locking in
 * key order so two numberers cannot deadlock), so numbering transactions of one series and year run
 * one after another. Each later statement takes a fresh snapshot (READ COMMITTED) after that lock,
 * so it sees every number a previous holder committed; it numbers the rows and moves the counter by
 * exactly as many, in the same statement, and a failure rolls both back. The locks are held for
 * one statement per series and year and never across a network call. SKIP LOCKED passes over a row
 * another transaction is changing right now (a concurrent void): it gets the next numbers in the
 * following pass instead of making this one wait. On PGlite (one connection) nothing runs
 * concurrently and the locks are moot.
 *
 * One transaction per pass, with the question "which series have work" inside it: a pass that finds
 * an invoice or two (the usual case, woken by IssueInvoice) costs one commit, not one per question.
 */
export async function numberPendingInvoices(
  db: Kysely<InvoiceDatabase>,
  batchSize: number,
): Promise<NumberedInvoice[]> {
  return db.transaction().execute(async (trx) => {
    const numbered: NumberedInvoice[] = [];
    const { rows: counters } = await lockPendingCounters.execute(trx, {});
    for (const { series, year } of counters) {
      const { rows } = await numberBatch.execute(trx, { series, year, batch_size: batchSize });
      numbered.push(...rows.map((row) => ({ id: row.id, series, year, sequence: Number(row.sequence) })));
    }
    return numbered;
  });
}

/** Locks (creating at 0) the counter of each series and year with unnumbered invoices. */
const lockPendingCounters = precompile(
  (_db: Kysely<InvoiceDatabase>, _p: Record<string, never>) => sql<{ series: string; year: number }>`
    insert into invoice_counters (series, year, last)
    select distinct series, year, 0 from invoices where sequence is null
    order by series, year
    on conflict (series, year)
      -- A no-op update, not DO NOTHING: it locks the existing row.
      do update set last = invoice_counters.last
    returning series, year`,
);

/**
 * Numbers up to `batch_size` invoices of one series and year past its (locked) counter, and moves
 * it. FOR UPDATE cannot be combined with a window function, hence lock first, then rank. Every part
 * of the statement reads the counter as it was before `bumped` moves it.
 */
const numberBatch = precompile(
  (_db: Kysely<InvoiceDatabase>, p: { series: string; year: number; batch_size: number }) => sql<{
    id: string;
    sequence: number;
  }>`
    with locked as (
      select id, issued_at from invoices
      where series = ${p.series} and year = ${p.year} and sequence is null
      order by issued_at, id
      limit ${p.batch_size}
      for update skip locked
    ), ranked as (
      select id, row_number() over (order by issued_at, id) as position from locked
    ), counter as (
      select last from invoice_counters where series = ${p.series} and year = ${p.year}
    ), bumped as (
      update invoice_counters set last = last + (select count(*) from ranked)
      where series = ${p.series} and year = ${p.year} and exists (select 1 from ranked)
    )
    update invoices set sequence = (select last from counter) + ranked.position
    from ranked where invoices.id = ranked.id
    returning invoices.id, invoices.sequence`,
);
