import type { Kysely, Selectable } from "kysely";
import { type Reservation, type ReservationLine, ReservationStatus } from "../domain/entities/reservation.ts";
import type { ReservationClaim, ReservationRepository } from "../domain/ports/reservation.repository.port.ts";
import type { InventoryDatabase, ReservationLinesTable, ReservationsTable } from "./schema.ts";

export class KyselyReservationRepository implements ReservationRepository {
  readonly #db: Kysely<InventoryDatabase>;

  /** `db` is the pool or a transaction; the repository never opens one itself. */
  constructor(db: Kysely<InventoryDatabase>) {
    this.#db = db;
  }

  async claim(claim: ReservationClaim): Promise<boolean> {
    // ON CONFLICT waits for a concurrent insert of the same id to commit or roll back, then either
    // does nothing (the other one won) or inserts (the other one failed).
    const row = await this.#db
      .insertInto("reservations")
      .values({
        reservation_id: claim.reservationId,
        status: ReservationStatus.HELD,
        created_at: claim.createdAt,
        expires_at: claim.expiresAt,
        updated_at: claim.createdAt,
      })
      .onConflict((conflict) => conflict.column("reservation_id").doNothing())
      .returning("reservation_id")
      .executeTakeFirst();
    return row !== undefined;
  }

  async addLines(reservationId: string, lines: readonly ReservationLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.#db
      .insertInto("reservation_lines")
      .values(
        lines.map((line, index) => ({
          reservation_id: reservationId,
          line_no: index,
          sku: line.sku,
          quantity: line.quantity,
          unit_price_minor: line.unitPrice.amountMinor,
          currency_code: line.unitPrice.currencyCode,
        })),
      )
      .execute();
  }

  async findById(reservationId: string, options?: { forUpdate?: boolean }): Promise<Reservation | undefined> {
    const row = await this.#db
      .selectFrom("reservations")
      .selectAll()
      .where("reservation_id", "=", reservationId)
      .$if(options?.forUpdate === true, (query) => query.forUpdate())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const lines = await this.#db
      .selectFrom("reservation_lines")
      .selectAll()
      .where("reservation_id", "=", reservationId)
      .orderBy("line_no")
      .execute();
    return toReservation(row, lines);
  }

  async setStatus(reservationId: string, status: ReservationStatus, now: Date): Promise<void> {
    await this.#db
      .updateTable("reservations")
      .set({ status, updated_at: now })
      .where("reservation_id", "=", reservationId)
      .execute();
  }

  async findOverdueIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.#db
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

function toReservation(
  row: Selectable<ReservationsTable>,
  lines: readonly Selectable<ReservationLinesTable>[],
): Reservation {
  return {
    reservationId: row.reservation_id,
    status: row.status,
    lines: lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: { amountMinor: line.unit_price_minor, currencyCode: line.currency_code },
    })),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
