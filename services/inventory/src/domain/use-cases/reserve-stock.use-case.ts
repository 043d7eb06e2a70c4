import {
  hasSameLines,
  isOverdue,
  type RequestedLine,
  type Reservation,
  ReservationStatus,
} from "../entities/reservation.ts";
import { insufficientStock, itemNotFound, reservationConflict } from "../errors/inventory-errors.ts";
import type { InventoryRepositories, InventoryStore } from "../ports/inventory-store.port.ts";
import { parseReserveRequest } from "./reserve-request.ts";
import { settleReservation } from "./settle-reservation.ts";

export interface ReserveStockInput {
  /** Client-chosen, opaque, 1 to 128 characters; the idempotency key. */
  reservationId: string;
  /** 1 to 100 lines, one per SKU (a SKU listed twice is a validation error). */
  lines: readonly RequestedLine[];
}

/**
 * Holds stock for every line or for none and returns the reservation with each line's unit price.
 * A repeat with the same id and the same lines returns the reservation as it is now (it may since
 * have been committed, released or expired) and holds nothing more; the same id with other lines
 * is RESERVATION_CONFLICT. A failed Reserve leaves no trace, so its id can be used again.
 */
export type ReserveStock = (input: ReserveStockInput) => Promise<Reservation>;

export interface ReserveStockDeps {
  store: InventoryStore;
  now: () => Date;
  /** How long a reservation stays held unless committed or released. */
  reservationTtlMs: number;
}

export function makeReserveStock(deps: ReserveStockDeps): ReserveStock {
  return async (input) => {
    const request = parseReserveRequest(input);
    const now = deps.now();
    const expiresAt = new Date(now.getTime() + deps.reservationTtlMs);

    return deps.store.transaction(async (repositories) => {
      // Claiming the id first makes concurrent repeats of one Reserve queue behind each other
      // instead of both holding stock.
      const claimed = await repositories.reservations.claim({
        reservationId: request.reservationId,
        createdAt: now,
        expiresAt,
      });
      if (!claimed) return repeat(repositories, request, now);

      const skus = request.lines.map((line) => line.sku);
      const { held, shortages, unknownSkus } = await repositories.items.hold(request.lines, now);
      // Unknown SKUs come first: no amount of waiting for stock makes them reservable.
      if (unknownSkus.length > 0) throw itemNotFound(orderedLike(skus, unknownSkus));
      if (shortages.length > 0) throw insufficientStock(orderedLike(skus, shortages));

      const prices = new Map(held.map((line) => [line.sku, line.unitPrice]));
      const lines = request.lines.map((line) => {
        const unitPrice = prices.get(line.sku);
        if (unitPrice === undefined) throw new Error(`hold() did not report sku ${line.sku}`);
        return { sku: line.sku, quantity: line.quantity, unitPrice };
      });
      await repositories.reservations.addLines(request.reservationId, lines);
      return {
        reservationId: request.reservationId,
        status: ReservationStatus.HELD,
        lines,
        createdAt: now,
        expiresAt,
      };
    });
  };
}

async function repeat(
  repositories: InventoryRepositories,
  request: ReserveStockInput,
  now: Date,
): Promise<Reservation> {
  const existing = await repositories.reservations.findById(request.reservationId, { forUpdate: true });
  // claim() returned false, so the row exists and nothing deletes reservations.
  if (existing === undefined) throw new Error(`reservation ${request.reservationId} vanished`);
  if (!hasSameLines(existing, request.lines)) throw reservationConflict(request.reservationId);
  return isOverdue(existing, now) ? settleReservation(repositories, existing, "expire", now) : existing;
}

/** In the order of the request's lines, which is what a client reads them against. */
function orderedLike<T extends string | { sku: string }>(
  skus: readonly string[],
  entries: readonly T[],
): T[] {
  const position = (entry: T) => skus.indexOf(typeof entry === "string" ? entry : entry.sku);
  return [...entries].sort((a, b) => position(a) - position(b));
}
