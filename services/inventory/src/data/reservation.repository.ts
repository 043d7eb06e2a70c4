import { KyselyRepository } from "@orderly/kit/db";
import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { type Reservation, type ReservationLine, ReservationStatus } from "../domain/entities/reservation.ts";
import type {
  NewReservation,
  ReservationRepository,
  ReserveOutcome,
  StockMove,
} from "../domain/ports/reservation.repository.port.ts";
import { runReserve } from "./reserve.sql.ts";
import type { InventoryDatabase } from "./schema.ts";

export class KyselyReservationRepository
  extends KyselyRepository<InventoryDatabase>
  implements ReservationRepository
{
  async reserve(reservation: NewReservation): Promise<ReserveOutcome> {
    const rows = await runReserve(this.db, reservation);
    const first = rows[0];
    if (first === undefined) throw new Error("reserve statement returned no rows");
    if (first.claimed) {
      return {
        kind: "held",
        reservation: {
          reservationId: reservation.reservationId,
          status: ReservationStatus.HELD,
          lines: rows.map((row) =>
            reservationLine({
              sku: row.sku,
              quantity: row.quantity,
              name: row.name as string,
              unitPriceMinor: row.unit_price_minor as number,
              currencyCode: row.currency_code as string,
            }),
          ),
          createdAt: reservation.createdAt,
          expiresAt: reservation.expiresAt,
        },
      };
    }
    // Taken before the statement began, or every line was available and the claim still lost:
    // a concurrent Reserve of the same id committed first.
    if (first.taken || first.all_available) return { kind: "taken" };
    return {
      kind: "refused",
      unknownSkus: rows.filter((row) => row.available === null).map((row) => row.sku),
      shortages: rows.flatMap((row) =>
        row.available !== null && row.available < row.quantity
          ? [{ sku: row.sku, requested: row.quantity, available: row.available }]
          : [],
      ),
    };
  }

  async findById(reservationId: string, options?: { forUpdate?: boolean }): Promise<Reservation | undefined> {
    // One round trip: the lines come along as a JSON array (FOR UPDATE locks the reservation row only).
    const row = await this.db
      .selectFrom("reservations")
      .selectAll()
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom("reservation_lines")
            .select(["sku", "quantity", "name", "unit_price_minor", "currency_code"])
            .whereRef("reservation_lines.reservation_id", "=", "reservations.reservation_id")
            .orderBy("line_no"),
        ).as("lines"),
      )
      .where("reservation_id", "=", reservationId)
      .$if(options?.forUpdate === true, (query) => query.forUpdate())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      reservationId: row.reservation_id,
      status: row.status,
      lines: row.lines.map((line) =>
        reservationLine({
          sku: line.sku,
          quantity: Number(line.quantity),
          name: line.name,
          unitPriceMinor: Number(line.unit_price_minor),
          currencyCode: line.currency_code,
        }),
      ),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async settle(
    reservation: Reservation,
    status: ReservationStatus,
    move: StockMove,
    now: Date,
  ): Promise<void> {
    const skus = reservation.lines.map((line) => line.sku);
    const quantities = reservation.lines.map((line) => line.quantity);
    const shipped = move === "ship";
    // One statement: the status and the stock of every line. Items are locked in SKU order first
    // (the lock order every writer uses) and only then updated, so this cannot deadlock with a Reserve.
    const result = await sql<{ updated: number; moved: number }>`
      with req as materialized (
        select r.sku, r.quantity from unnest(${skus}::text[], ${quantities}::bigint[]) as r (sku, quantity)
      ),
      locked as materialized (
        select i.sku from items i where i.sku in (select sku from req) order by i.sku for update
      ),
      moved as (
        update items i
        set reserved = i.reserved - r.quantity,
          on_hand = i.on_hand - case when ${shipped}::boolean then r.quantity else 0 end,
          updated_at = ${now}
        from req r
        where i.sku = r.sku and i.sku in (select sku from locked)
        returning i.sku
      ),
      updated as (
        update reservations set status = ${status}, updated_at = ${now}
        where reservation_id = ${reservation.reservationId}
        returning reservation_id
      )
      select (select count(*) from updated)::int as updated, (select count(*) from moved)::int as moved
    `.execute(this.db);
    const counts = result.rows[0];
    // A held reservation names items that exist (foreign key); anything else is a bug, not bad input.
    if (counts?.updated !== 1 || counts.moved !== reservation.lines.length) {
      throw new Error(
        `settling reservation ${reservation.reservationId} updated ${counts?.updated ?? 0} reservations and ${counts?.moved ?? 0} of ${reservation.lines.length} items`,
      );
    }
  }

  async findOverdueIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("reservations")
      .select("reservation_id")
      .where("status", "=", ReservationStatus.HELD)
      .where("expires_at", "<=", now)
      .orderBy("expires_at")
      .orderBy("reservation_id")
      .limit(limit)
      .execute();
    return rows.map((row) => row.reservation_id);
  }
}

/** One shape (and key order) for a line, whether it was just held or read back later. */
function reservationLine(fields: {
  sku: string;
  quantity: number;
  name: string;
  unitPriceMinor: number;
  currencyCode: string;
}): ReservationLine {
  return {
    sku: fields.sku,
    quantity: fields.quantity,
    name: fields.name,
    unitPrice: { amountMinor: fields.unitPriceMinor, currencyCode: fields.currencyCode },
  };
}
