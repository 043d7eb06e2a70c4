import type { Reservation, ReservationLine, ReservationStatus } from "../entities/reservation.ts";

export interface ReservationClaim {
  reservationId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface ReservationRepository {
  /**
   * Records a new held reservation with no lines yet, unless the id is taken. Returns false when it
   * is; a concurrent claim of the same id waits until the other transaction ends, so exactly one
   * caller gets true.
   */
  claim(claim: ReservationClaim): Promise<boolean>;
  /** Adds the lines of a reservation this transaction claimed. */
  addLines(reservationId: string, lines: readonly ReservationLine[]): Promise<void>;
  /** With `forUpdate`, later settles of the same reservation wait for this transaction. */
  findById(reservationId: string, options?: { forUpdate?: boolean }): Promise<Reservation | undefined>;
  setStatus(reservationId: string, status: ReservationStatus, now: Date): Promise<void>;
  /** Ids of held reservations whose deadline is at or before `now`, earliest deadline first. */
  findOverdueIds(now: Date, limit: number): Promise<string[]>;
}
