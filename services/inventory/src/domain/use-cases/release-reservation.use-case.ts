import type { Clock } from "@orderly/kit/domain";
import { type Reservation, settlementForRelease } from "../entities/reservation.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import { parseReservationId } from "./reservation-id.ts";
import { settleReservationById } from "./settle-reservation.ts";

export interface ReleaseReservationInput {
  reservationId: string;
}

/**
 * Gives held stock back. Idempotent: releasing a released or expired reservation returns it
 * unchanged; an overdue one comes back EXPIRED. A committed one is RESERVATION_COMMITTED.
 */
export type ReleaseReservation = (input: ReleaseReservationInput) => Promise<Reservation>;

export function makeReleaseReservation(deps: { unitOfWork: UnitOfWork; clock: Clock }): ReleaseReservation {
  return async (input) => {
    const reservationId = parseReservationId(input.reservationId);
    return settleReservationById(deps.unitOfWork, reservationId, settlementForRelease, deps.clock.now());
  };
}
