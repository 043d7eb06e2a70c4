import { type Reservation, settlementForRelease } from "../entities/reservation.ts";
import { type ReservationIdInput, type SettleByIdDeps, settleReservationById } from "./settle-reservation.ts";

/**
 * Gives held stock back. Idempotent: releasing a released or expired reservation returns it
 * unchanged; an overdue one comes back EXPIRED. A committed one is RESERVATION_COMMITTED.
 */
export type ReleaseReservation = (input: ReservationIdInput) => Promise<Reservation>;

export function makeReleaseReservation(deps: SettleByIdDeps): ReleaseReservation {
  return (input) => settleReservationById(deps, input, settlementForRelease);
}
