import { type Reservation, type Settlement, statusAfterSettlement } from "../entities/reservation.ts";
import type { InventoryRepositories } from "../ports/unit-of-work.port.ts";

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
