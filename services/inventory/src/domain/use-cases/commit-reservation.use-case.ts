import type { Clock } from "@orderly/kit/domain";
import { type Reservation, ReservationStatus, settlementForCommit } from "../entities/reservation.ts";
import { reservationNotHeld } from "../inventory-errors.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import { parseReservationId } from "./reservation-id.ts";
import { settleReservationById } from "./settle-reservation.ts";

export interface CommitReservationInput {
  reservationId: string;
}

/**
 * The goods left the warehouse: on_hand and reserved both drop. Idempotent: committing a committed
 * reservation returns it unchanged. A released or expired one is RESERVATION_NOT_HELD, and so is a
 * held one past its deadline (which this call expires, giving its stock back).
 */
export type CommitReservation = (input: CommitReservationInput) => Promise<Reservation>;

export function makeCommitReservation(deps: { unitOfWork: UnitOfWork; clock: Clock }): CommitReservation {
  return async (input) => {
    const reservationId = parseReservationId(input.reservationId);
    const reservation = await settleReservationById(
      deps.unitOfWork,
      reservationId,
      settlementForCommit,
      deps.clock.now(),
    );
    // Thrown after the transaction so that the expiry it recorded stays.
    if (reservation.status !== ReservationStatus.COMMITTED) {
      throw reservationNotHeld(reservationId, reservation.status);
    }
    return reservation;
  };
}
