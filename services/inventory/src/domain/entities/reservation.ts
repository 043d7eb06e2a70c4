import { reservationCommitted, reservationNotHeld } from "../inventory-errors.ts";
import type { Money } from "../values/money.ts";

export const ReservationStatus = {
  HELD: "HELD",
  COMMITTED: "COMMITTED",
  RELEASED: "RELEASED",
  EXPIRED: "EXPIRED",
} as const;

export type ReservationStatus = (typeof ReservationStatus)[keyof typeof ReservationStatus];

/** One SKU and how many units of it a reservation asks for. */
export interface RequestedLine {
  sku: string;
  quantity: number;
}

export interface ReservationLine extends RequestedLine {
  /** The item's name when the reservation was made; later renames do not change it. */
  name: string;
  /** The item's unit price when the reservation was made. */
  unitPrice: Money;
}

export interface Reservation {
  /** Client-chosen and opaque; the idempotency key of Reserve. */
  reservationId: string;
  status: ReservationStatus;
  /** In the order the client sent them. */
  lines: ReservationLine[];
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Whether a repeated Reserve asks for what the first one did. Line order does not matter: the same
 * SKUs with the same quantities are the same request.
 */
export function hasSameLines(reservation: Reservation, requested: readonly RequestedLine[]): boolean {
  if (reservation.lines.length !== requested.length) return false;
  const held = new Map(reservation.lines.map((line) => [line.sku, line.quantity]));
  return requested.every((line) => held.get(line.sku) === line.quantity);
}

/** A held reservation past its deadline: it is expired whether or not the sweeper got to it yet. */
export function isOverdue(reservation: Reservation, now: Date): boolean {
  return reservation.status === ReservationStatus.HELD && reservation.expiresAt.getTime() <= now.getTime();
}

/**
 * What happens to a reservation's stock when something settles it:
 * - `release`: the held units go back to available (status RELEASED);
 * - `expire`: the same, because the deadline passed (status EXPIRED);
 * - `commit`: the units left the warehouse (status COMMITTED);
 * - `none`: it is already where the caller wants it; a repeat changes nothing.
 */
export type Settlement = "release" | "expire" | "commit" | "none";

/** Release is idempotent; a reservation that is already committed cannot be given back. */
export function settlementForRelease(reservation: Reservation, now: Date): Settlement {
  if (isOverdue(reservation, now)) return "expire";
  switch (reservation.status) {
    case ReservationStatus.HELD:
      return "release";
    case ReservationStatus.COMMITTED:
      throw reservationCommitted(reservation.reservationId);
    default:
      return "none";
  }
}

/**
 * Commit is idempotent; a released or expired reservation cannot be committed. An overdue one is
 * expired first (the caller persists that, then throws `reservationNotHeld`): a deadline means the
 * same thing whether or not the expiry job has run.
 */
export function settlementForCommit(reservation: Reservation, now: Date): Settlement {
  if (isOverdue(reservation, now)) return "expire";
  switch (reservation.status) {
    case ReservationStatus.HELD:
      return "commit";
    case ReservationStatus.COMMITTED:
      return "none";
    default:
      throw reservationNotHeld(reservation.reservationId, reservation.status);
  }
}

const statusAfter: Record<Exclude<Settlement, "none">, ReservationStatus> = {
  release: ReservationStatus.RELEASED,
  expire: ReservationStatus.EXPIRED,
  commit: ReservationStatus.COMMITTED,
};

export function statusAfterSettlement(reservation: Reservation, settlement: Settlement): ReservationStatus {
  return settlement === "none" ? reservation.status : statusAfter[settlement];
}
