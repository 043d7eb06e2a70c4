import type { AppError } from "@orderly/kit/errors";
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

/** What a Release or Commit of a reservation not yet overdue means, by its status; a function is a refusal. */
type SettlementByStatus = Record<ReservationStatus, Settlement | ((reservation: Reservation) => AppError)>;

const notHeld = (reservation: Reservation) =>
  reservationNotHeld(reservation.reservationId, reservation.status);

/** Both are idempotent: a repeat finds the reservation where it wants it and changes nothing. */
const SETTLEMENTS: Record<"release" | "commit", SettlementByStatus> = {
  // A reservation that is already committed cannot be given back.
  release: {
    HELD: "release",
    COMMITTED: (reservation) => reservationCommitted(reservation.reservationId),
    RELEASED: "none",
    EXPIRED: "none",
  },
  // A released or expired reservation cannot be committed.
  commit: { HELD: "commit", COMMITTED: "none", RELEASED: notHeld, EXPIRED: notHeld },
};

/**
 * An overdue reservation is expired first, whatever the call (the caller persists that; Commit then
 * throws `reservationNotHeld`): a deadline means the same thing whether or not the expiry job has run.
 */
function settlementFor(call: keyof typeof SETTLEMENTS, reservation: Reservation, now: Date): Settlement {
  if (isOverdue(reservation, now)) return "expire";
  const settlement = SETTLEMENTS[call][reservation.status];
  if (typeof settlement === "function") throw settlement(reservation);
  return settlement;
}

export function settlementForRelease(reservation: Reservation, now: Date): Settlement {
  return settlementFor("release", reservation, now);
}

export function settlementForCommit(reservation: Reservation, now: Date): Settlement {
  return settlementFor("commit", reservation, now);
}

const statusAfter: Record<Exclude<Settlement, "none">, ReservationStatus> = {
  release: ReservationStatus.RELEASED,
  expire: ReservationStatus.EXPIRED,
  commit: ReservationStatus.COMMITTED,
};

export function statusAfterSettlement(reservation: Reservation, settlement: Settlement): ReservationStatus {
  return settlement === "none" ? reservation.status : statusAfter[settlement];
}
