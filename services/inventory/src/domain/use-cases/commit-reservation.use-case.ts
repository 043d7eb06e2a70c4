import { type Reservation, ReservationStatus, settlementForCommit } from "../entities/reservation.ts";
import { reservationNotHeld } from "../inventory-errors.ts";
import { type ReservationIdInput, type SettleByIdDeps, settleReservationById } from "./settle-reservation.ts";

/**
 * The goods left the warehouse: on_hand and reserved both drop. Idempotent: committing a committed
 * reservation returns it unchanged. A released or expired one is RESERVATION_NOT_HELD, and so is a
 * held one past its deadline (which this call expires, giving its stock back).
 */
export type CommitReservation = (input: ReservationIdInput) => Promise<Reservation>;

export function makeCommitReservation(deps: SettleByIdDeps): CommitReservation {
  return async (input) => {
    const reservation = await settleReservationById(deps, input, settlementForCommit);
    // Thrown after the transaction so that the expiry it recorded stays.
    if (reservation.status !== ReservationStatus.COMMITTED) {
      throw reservationNotHeld(reservation.reservationId, reservation.status);
    }
    return reservation;
  };
}
