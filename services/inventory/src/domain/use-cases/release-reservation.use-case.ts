import { type Reservation, settlementForRelease } from "../entities/reservation.ts";
import { reservationNotFound } from "../errors/inventory-errors.ts";
import type { InventoryStore } from "../ports/inventory-store.port.ts";
import { parseReservationId } from "./reservation-id.ts";
import { settleReservation } from "./settle-reservation.ts";

export interface ReleaseReservationInput {
  reservationId: string;
}

/**
 * Gives held stock back. Idempotent: releasing a released or expired reservation returns it
 * unchanged; an overdue one comes back EXPIRED. A committed one is RESERVATION_COMMITTED.
 */
export type ReleaseReservation = (input: ReleaseReservationInput) => Promise<Reservation>;

export function makeReleaseReservation(deps: { store: InventoryStore; now: () => Date }): ReleaseReservation {
  return async (input) => {
    const reservationId = parseReservationId(input.reservationId);
    const now = deps.now();
    return deps.store.transaction(async (repositories) => {
      const reservation = await repositories.reservations.findById(reservationId, { forUpdate: true });
      if (reservation === undefined) throw reservationNotFound(reservationId);
      return settleReservation(repositories, reservation, settlementForRelease(reservation, now), now);
    });
  };
}
