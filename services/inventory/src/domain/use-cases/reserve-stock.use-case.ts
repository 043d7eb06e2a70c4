import type { Clock } from "@orderly/kit/domain";
import { hasSameLines, isOverdue, type RequestedLine, type Reservation } from "../entities/reservation.ts";
import { insufficientStock, itemNotFound, reservationConflict } from "../inventory-errors.ts";
import type { ReservationRepository } from "../ports/reservation.repository.port.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import { parseReserveRequest } from "./reserve-request.ts";
import { settleReservation } from "./settle-reservation.ts";

export interface ReserveStockInput {
  /** Client-chosen, opaque, 1 to 128 characters; the idempotency key. */
  reservationId: string;
  /** 1 to 100 lines, one per SKU (a SKU listed twice is a validation error). */
  lines: readonly RequestedLine[];
}

/**
 * Holds stock for every line or for none and returns the reservation with each line's name and unit
 * price. A repeat with the same id and the same lines returns the reservation as it is now (it may
 * since have been committed, released or expired) and holds nothing more; the same id with other
 * lines is RESERVATION_CONFLICT. A failed Reserve leaves no trace, so its id can be used again.
 */
export type ReserveStock = (input: ReserveStockInput) => Promise<Reservation>;

export interface ReserveStockDeps {
  reservations: ReservationRepository;
  unitOfWork: UnitOfWork;
  clock: Clock;
  /** How long a reservation stays held unless committed or released. */
  reservationTtlMs: number;
}

export function makeReserveStock(deps: ReserveStockDeps): ReserveStock {
  return async (input) => {
    const request = parseReserveRequest(input);
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + deps.reservationTtlMs);

    // The common case is one atomic step with no transaction around it: nothing holds a hot SKU's
    // row lock while the application thinks.
    const outcome = await deps.reservations.reserve({
      reservationId: request.reservationId,
      lines: request.lines,
      createdAt: now,
      expiresAt,
    });
    switch (outcome.kind) {
      case "held":
        return outcome.reservation;
      case "taken":
        return repeat(deps.unitOfWork, request, now);
      case "refused":
        // A concurrent twin of this call may have taken the last units (and the id) first: a retry
        // of a Reserve that went through must still get the reservation back, not a refusal.
        if ((await deps.reservations.findById(request.reservationId)) !== undefined) {
          return repeat(deps.unitOfWork, request, now);
        }
        // Unknown SKUs come first: no amount of waiting for stock makes them reservable.
        if (outcome.unknownSkus.length > 0) throw itemNotFound(outcome.unknownSkus);
        throw insufficientStock(outcome.shortages);
    }
  };
}

/** The id was used before: the same lines get the reservation as it is now, other lines a conflict. */
function repeat(unitOfWork: UnitOfWork, request: ReserveStockInput, now: Date): Promise<Reservation> {
  return unitOfWork.transaction(async (repositories) => {
    const existing = await repositories.reservations.findById(request.reservationId, { forUpdate: true });
    // The id was seen taken, and nothing deletes reservations.
    if (existing === undefined) throw new Error(`reservation ${request.reservationId} vanished`);
    if (!hasSameLines(existing, request.lines)) throw reservationConflict(request.reservationId);
    return isOverdue(existing, now) ? settleReservation(repositories, existing, "expire", now) : existing;
  });
}
