import { type Reservation, type Settlement, statusAfterSettlement } from "../entities/reservation.ts";
import type { InventoryRepositories } from "../ports/inventory-store.port.ts";

/**
 * Moves the reservation's stock as the settlement says and records its new status, inside the
 * caller's transaction (the reservation must have been read `forUpdate`).
 */
export async function settleReservation(
  repositories: InventoryRepositories,
  reservation: Reservation,
  settlement: Settlement,
  now: Date,
): Promise<Reservation> {
  switch (settlement) {
    case "none":
      return reservation;
    case "release":
    case "expire":
      await repositories.items.unhold(reservation.lines, now);
      break;
    case "commit":
      await repositories.items.ship(reservation.lines, now);
      break;
  }
  const status = statusAfterSettlement(reservation, settlement);
  await repositories.reservations.setStatus(reservation.reservationId, status, now);
  return { ...reservation, status };
}
