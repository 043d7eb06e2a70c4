import type { RequestedLine, Reservation, ReservationStatus } from "../entities/reservation.ts";
import type { Shortage } from "../inventory-errors.ts";

export interface NewReservation {
  reservationId: string;
  /** One per SKU, in the order the client sent them. */
  lines: readonly RequestedLine[];
  createdAt: Date;
  expiresAt: Date;
}

export type ReserveOutcome =
  /** Every line was held; the lines carry the item's name and price read under the same lock. */
  | { kind: "held"; reservation: Reservation }
  /** The id belongs to an earlier (or a concurrent, now committed) Reserve; nothing was held. */
  | { kind: "taken" }
  /** Some line could not be held, so none was; both lists follow the request's line order. */
  | { kind: "refused"; unknownSkus: string[]; shortages: Shortage[] };

/** What settling does to a reservation's stock. */
export type StockMove =
  /** The held units go back to available: reserved drops. */
  | "unhold"
  /** The units left the warehouse: on_hand and reserved both drop. */
  | "ship";

export interface ReservationRepository {
  /**
   * Holds every line or none and records the reservation with its lines, as one atomic step that
   * checks and writes each item under its row lock (so concurrent callers never oversell). Items are
   * locked in SKU order, so concurrent multi-line reservations cannot deadlock. A taken id holds
   * nothing; a concurrent Reserve of the same id waits for the first to finish.
   */
  reserve(reservation: NewReservation): Promise<ReserveOutcome>;
  /** With `forUpdate`, later settles of the same reservation wait for this transaction. */
  findById(reservationId: string, options?: { forUpdate?: boolean }): Promise<Reservation | undefined>;
  /**
   * Records the new status and moves the reservation's stock, in one step. Call it inside the
   * transaction that read the reservation `forUpdate`, so two settles cannot both move stock.
   */
  settle(reservation: Reservation, status: ReservationStatus, move: StockMove, now: Date): Promise<void>;
  /** Ids of held reservations whose deadline is at or before `now`, earliest deadline first. */
  findOverdueIds(now: Date, limit: number): Promise<string[]>;
}
