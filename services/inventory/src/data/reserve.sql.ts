import { precompile } from "@orderly/kit/db";
import { type Kysely, sql } from "kysely";
import type { NewReservation } from "../domain/ports/reservation.repository.port.ts";
import type { InventoryDatabase } from "./schema.ts";

/** One row per requested line, in request order, with what the statement found and did. */
export interface ReserveRow {
  line_no: number;
  sku: string;
  quantity: number;
  /** Null when no item has the SKU. */
  name: string | null;
  unit_price_minor: number | null;
  currency_code: string | null;
  /** What was available when the row was locked (before this Reserve); null when no item. */
  available: number | null;
  /** The id existed before this statement began: nothing was locked or held. */
  taken: boolean;
  /** Every line had an item with enough available. */
  all_available: boolean;
  /** This statement recorded the reservation (and so held every line). */
  claimed: boolean;
}

interface ReserveParams {
  reservationId: string;
  createdAt: Date;
  expiresAt: Date;
  skus: string[];
  quantities: number[];
}

/**
 * Reserve as ONE statement, so it is its own (implicit) transaction: a hot SKU's row lock is held
 * for this statement only, never across round trips to the application. Step by step:
 *
 * - `req`: the lines, numbered in request order (two arrays, so the statement text never varies).
 * - `taken`: the id is already recorded (a plain repeat): then nothing below locks or writes.
 * - `locked`: the items, locked FOR UPDATE in SKU order, which is the one lock order every writer
 *   uses, so two multi-line reservations cannot deadlock. Under READ COMMITTED a row that another
 *   transaction changed meanwhile is waited for and returned as committed, so `available` is
 *   current while we hold the lock.
 * - `verdict`: all or nothing: every line names an item with enough available.
 * - `claim`: records the reservation only on a yes; ON CONFLICT waits for a concurrent insert of the
 *   same id and then does nothing if it committed, so of two concurrent twins one holds stock.
 * - `held`, `lines`: move the stock and record the lines (name and price as read under the lock),
 *   only when the claim went in. The rows are already locked by us, so these never wait.
 *
 * Compiled once; its text never varies, so PostgreSQL also parses and plans it once per connection.
 */
const reserveStatement = precompile(
  (_db: Kysely<InventoryDatabase>, p: ReserveParams) => sql<ReserveRow>`
    with req as materialized (
      select (r.ordinality - 1)::int as line_no, r.sku, r.quantity
      from unnest(${p.skus}::text[], ${p.quantities}::bigint[]) with ordinality as r (sku, quantity, ordinality)
    ),
    taken as materialized (
      select exists (select 1 from reservations where reservation_id = ${p.reservationId}) as taken
    ),
    locked as materialized (
      select i.sku, i.name, i.unit_price_minor, i.currency_code, i.on_hand - i.reserved as available
      from items i
      where i.sku in (select sku from req) and not (select taken from taken)
      order by i.sku
      for update
    ),
    verdict as materialized (
      select not (select taken from taken)
        and (select count(*) from req r join locked l on l.sku = r.sku where l.available >= r.quantity)
          = (select count(*) from req) as all_available
    ),
    claim as (
      insert into reservations (reservation_id, status, created_at, expires_at, updated_at)
      select ${p.reservationId}, 'HELD', ${p.createdAt}, ${p.expiresAt}, ${p.createdAt}
      from verdict where all_available
      on conflict (reservation_id) do nothing
      returning reservation_id
    ),
    held as (
      update items i set reserved = i.reserved + r.quantity, updated_at = ${p.createdAt}
      from req r
      where i.sku = r.sku and exists (select 1 from claim)
      returning i.sku
    ),
    lines as (
      insert into reservation_lines (reservation_id, line_no, sku, quantity, name, unit_price_minor, currency_code)
      select c.reservation_id, r.line_no, r.sku, r.quantity, l.name, l.unit_price_minor, l.currency_code
      from claim c cross join req r join locked l on l.sku = r.sku
      returning line_no
    )
    select r.line_no, r.sku, r.quantity, l.name, l.unit_price_minor, l.currency_code, l.available,
      (select taken from taken) as taken,
      (select all_available from verdict) as all_available,
      exists (select 1 from claim) as claimed
    from req r left join locked l on l.sku = r.sku
    order by r.line_no
  `,
);

export async function runReserve(
  db: Kysely<InventoryDatabase>,
  reservation: NewReservation,
): Promise<ReserveRow[]> {
  const { reservationId, createdAt, expiresAt } = reservation;
  const result = await reserveStatement.execute(db, {
    reservationId,
    createdAt,
    expiresAt,
    skus: reservation.lines.map((line) => line.sku),
    quantities: reservation.lines.map((line) => line.quantity),
  });
  return result.rows;
}
