import { describe, expect, it } from "vitest";
import { caught } from "../testing/caught.ts";
import {
  hasSameLines,
  type Reservation,
  type ReservationStatus,
  settlementForCommit,
  settlementForRelease,
} from "./reservation.ts";

const createdAt = new Date("2026-01-01T10:00:00Z");
const expiresAt = new Date("2026-01-01T10:15:00Z");
const before = new Date("2026-01-01T10:05:00Z");
const after = new Date("2026-01-01T10:15:00Z");

function reservation(status: ReservationStatus): Reservation {
  const unitPrice = { amountMinor: 500, currencyCode: "USD" };
  return {
    reservationId: "order-1:reserve",
    status,
    lines: [
      { sku: "A", quantity: 2, name: "Item A", unitPrice },
      { sku: "B", quantity: 1, name: "Item B", unitPrice },
    ],
    createdAt,
    expiresAt,
  };
}

describe("reservation", () => {
  describe("repeat detection", () => {
    it("when a repeat lists the same lines in another order, then it is the same request", () => {
      expect(
        hasSameLines(reservation("HELD"), [
          { sku: "B", quantity: 1 },
          { sku: "A", quantity: 2 },
        ]),
      ).toBe(true);
    });

    it("when a repeat changes a quantity, adds or drops a line, then it is a different request", () => {
      const held = reservation("HELD");
      expect(
        hasSameLines(held, [
          { sku: "A", quantity: 2 },
          { sku: "B", quantity: 2 },
        ]),
      ).toBe(false);
      expect(hasSameLines(held, [{ sku: "A", quantity: 2 }])).toBe(false);
      expect(
        hasSameLines(held, [
          { sku: "A", quantity: 2 },
          { sku: "B", quantity: 1 },
          { sku: "C", quantity: 1 },
        ]),
      ).toBe(false);
      expect(
        hasSameLines(held, [
          { sku: "A", quantity: 2 },
          { sku: "C", quantity: 1 },
        ]),
      ).toBe(false);
    });
  });

  describe("release", () => {
    it("when the reservation is held, then its stock is released", () => {
      expect(settlementForRelease(reservation("HELD"), before)).toBe("release");
    });

    it("when the reservation is held past its deadline, then it expires instead", () => {
      expect(settlementForRelease(reservation("HELD"), after)).toBe("expire");
    });

    it("when the reservation is already released or expired, then nothing changes", () => {
      expect(settlementForRelease(reservation("RELEASED"), before)).toBe("none");
      expect(settlementForRelease(reservation("EXPIRED"), after)).toBe("none");
    });

    it("when the reservation is committed, then it is RESERVATION_COMMITTED", async () => {
      const error = await caught(() => settlementForRelease(reservation("COMMITTED"), before));
      expect(error).toMatchObject({ codeName: "FAILED_PRECONDITION", reason: "RESERVATION_COMMITTED" });
    });
  });

  describe("commit", () => {
    it("when the reservation is held, then it is committed", () => {
      expect(settlementForCommit(reservation("HELD"), before)).toBe("commit");
    });

    it("when the reservation is already committed, then nothing changes", () => {
      expect(settlementForCommit(reservation("COMMITTED"), after)).toBe("none");
    });

    it("when the reservation is held past its deadline, then it expires instead", () => {
      expect(settlementForCommit(reservation("HELD"), after)).toBe("expire");
    });

    it("when the reservation was released or expired, then it is RESERVATION_NOT_HELD", async () => {
      for (const status of ["RELEASED", "EXPIRED"] as const) {
        const error = await caught(() => settlementForCommit(reservation(status), before));
        expect(error).toMatchObject({
          codeName: "FAILED_PRECONDITION",
          reason: "RESERVATION_NOT_HELD",
          details: { reservation_id: "order-1:reserve", status },
        });
      }
    });
  });
});
