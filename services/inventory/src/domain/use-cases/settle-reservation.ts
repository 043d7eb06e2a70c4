import type { Clock } from "@orderly/kit/domain";
import { type Reservation, type Settlement, statusAfterSettlement } from "../entities/reservation.ts";
import { reservationNotFound } from "../inventory-errors.ts";
import type { InventoryRepositories, UnitOfWork } from "../ports/unit-of-work.port.ts";
import { parseReservationId } from "./reservation-id.ts";

/** What Release and Commit are called with. */
export interface ReservationIdInput {
  reservationId: string;
}

export interface SettleByIdDeps {
  unitOfWork: UnitOfWork;
  clock: Clock;
}

/**
 * Release and Commit: checks the reservation_id, then in one transaction locks the reservation
 * (RESERVATION_NOT_FOUND when there is none), asks `settlementFor` what the call means for it now,
 * and applies that.
 */
export function settleReservationById(
  deps: SettleByIdDeps,
  input: ReservationIdInput,
  settlementFor: (reservation: Reservation, now: Date) => Settlement,
): Promise<Reservation> {
  const reservationId = parseReservationId(input.reservationId);
  const now = deps.clock.now();
  return deps.unitOfWork.transaction(async (repositories) => {
    const reservation = await repositories.reservations.findById(reservationId, { forUpdate: true });
    if (reservation === undefined) throw reservationNotFound(reservationId);
    return settleReservation(repositories, reservation, settlementFor(reservation, now), now);
  });
}

/**
 * Moves the reservation's stock as the settlement says and records its new status (one repository
 * call), inside the caller's transaction (the reservation must have been read `forUpdate`).
 */
export async function settleReservation(
  repositories: InventoryRepositories,
  reservation: Reservation,
  settlement: Settlement,
  now: Date,
): Promise<Reservation> {
  if (settlement === "none") return reservation;
  const status = statusAfterSettlement(reservation, settlement);
  await repositories.reservations.settle(
    reservation,
    status,
    settlement === "commit" ? "ship" : "unhold",
    now,
  );
  return { ...reservation, status };
}
