import { AppError, Code } from "@orderly/kit/errors";
import { describe, expect, it, vi } from "vitest";
import type { Shipment } from "./shipment.entity.ts";
import { isLegalTransition, transition } from "./shipment-state-machine.ts";
import { SHIPMENT_STATUSES, type ShipmentStatus } from "./shipment-status.ts";

const created = new Date("2026-11-01T10:00:00.000Z");
const later = new Date("2026-11-01T11:00:00.000Z");

function shipment(status: ShipmentStatus, countryCode = "US"): Shipment {
  const shipped = status === "SHIPPED" || status === "DELIVERED";
  return {
    id: "0190f3a2-0000-7000-8000-000000000001",
    orderId: "order-1",
    customerId: "customer-1",
    status,
    lines: [{ sku: "SKU-1", quantity: 2 }],
    address: {
      name: "Ada",
      line1: "1 Main St",
      line2: "",
      city: "Springfield",
      postalCode: "12345",
      countryCode,
    },
    carrier: shipped ? "UPS" : null,
    trackingNumber: shipped ? "1ZAAAA" : null,
    cancelReason: status === "CANCELLED" ? "first reason" : null,
    createdAt: created,
    updatedAt: created,
  };
}

const LEGAL: ReadonlyArray<[ShipmentStatus, ShipmentStatus]> = [
  ["PENDING", "PICKING"],
  ["PICKING", "PACKED"],
  ["PACKED", "SHIPPED"],
  ["SHIPPED", "DELIVERED"],
  ["PENDING", "CANCELLED"],
  ["PICKING", "CANCELLED"],
  ["PACKED", "CANCELLED"],
];
const isListedLegal = (from: ShipmentStatus, to: ShipmentStatus) =>
  LEGAL.some(([f, t]) => f === from && t === to);

const ALL_PAIRS = SHIPMENT_STATUSES.flatMap((from) => SHIPMENT_STATUSES.map((to) => [from, to] as const));
const LEFT: ReadonlyArray<ShipmentStatus> = ["SHIPPED", "DELIVERED"];
const ILLEGAL = ALL_PAIRS.filter(
  ([from, to]) => from !== to && !isListedLegal(from, to) && !(to === "CANCELLED" && LEFT.includes(from)),
);

const change = { at: later, newTrackingNumber: () => "TRACK-1", cancelReason: "customer asked" };

describe("shipment state machine", () => {
  it.each(LEGAL)("when a %s shipment moves to %s, then it has the new status and time", (from, to) => {
    const result = transition(shipment(from), to, change);

    expect(result.changed).toBe(true);
    expect(result.shipment.status).toBe(to);
    expect(result.shipment.updatedAt).toEqual(later);
    expect(result.shipment.createdAt).toEqual(created);
    expect(isLegalTransition(from, to)).toBe(true);
  });

  it.each(ILLEGAL)("when a %s shipment is moved to %s, then ILLEGAL_TRANSITION names both", (from, to) => {
    const newTrackingNumber = vi.fn(() => "TRACK-1");

    const attempt = () => transition(shipment(from), to, { ...change, newTrackingNumber });

    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(
      expect.objectContaining({
        code: Code.FAILED_PRECONDITION,
        reason: "ILLEGAL_TRANSITION",
        details: { from, to },
      }),
    );
    expect(isLegalTransition(from, to)).toBe(false);
    expect(newTrackingNumber).not.toHaveBeenCalled();
  });

  it.each(LEFT)("when a %s shipment is cancelled, then ALREADY_SHIPPED names it and its status", (from) => {
    const before = shipment(from);

    const attempt = () => transition(before, "CANCELLED", change);

    expect(attempt).toThrow(
      expect.objectContaining({
        code: Code.FAILED_PRECONDITION,
        reason: "ALREADY_SHIPPED",
        details: { shipment_id: before.id, order_id: before.orderId, status: from },
      }),
    );
    expect(isLegalTransition(from, "CANCELLED")).toBe(false);
  });

  it.each(SHIPMENT_STATUSES)(
    "when a %s shipment is moved to the status it has, then nothing changes",
    (status) => {
      const before = shipment(status);
      const newTrackingNumber = vi.fn(() => "TRACK-2");

      const result = transition(before, status, { ...change, newTrackingNumber });

      expect(result.changed).toBe(false);
      expect(result.shipment).toEqual(before);
      expect(newTrackingNumber).not.toHaveBeenCalled();
    },
  );

  it("when every status pair is checked, then exactly the listed steps are legal", () => {
    const legal = ALL_PAIRS.filter(([from, to]) => isLegalTransition(from, to));
    expect(legal).toEqual(expect.arrayContaining(LEGAL.map(([f, t]) => [f, t])));
    expect(legal).toHaveLength(LEGAL.length);
  });

  it.each([
    ["US", "UPS"],
    ["CA", "UPS"],
    ["DE", "DHL"],
    ["GB", "DHL"],
    ["JP", "FEDEX"],
    ["BR", "FEDEX"],
  ] as const)(
    "when a shipment to %s is shipped, then it goes with %s and gets a tracking number",
    (country, carrier) => {
      const newTrackingNumber = vi.fn(() => "TRACK-9");

      const { shipment: shipped } = transition(shipment("PACKED", country), "SHIPPED", {
        at: later,
        newTrackingNumber,
      });

      expect(shipped.carrier).toBe(carrier);
      expect(shipped.trackingNumber).toBe("TRACK-9");
      expect(newTrackingNumber).toHaveBeenCalledWith(carrier);
    },
  );

  it("when a shipped shipment is delivered, then it keeps its carrier and tracking number", () => {
    const { shipment: delivered } = transition(shipment("SHIPPED"), "DELIVERED", { at: later });

    expect(delivered.carrier).toBe("UPS");
    expect(delivered.trackingNumber).toBe("1ZAAAA");
  });

  it("when a shipment is cancelled with a reason, then the reason is kept", () => {
    const { shipment: cancelled } = transition(shipment("PICKING"), "CANCELLED", change);

    expect(cancelled.cancelReason).toBe("customer asked");
    expect(cancelled.carrier).toBeNull();
  });

  it("when a shipment is cancelled without a reason, then its reason is empty", () => {
    const { shipment: cancelled } = transition(shipment("PENDING"), "CANCELLED", { at: later });

    expect(cancelled.cancelReason).toBe("");
  });

  it("when a cancelled shipment is cancelled again, then the first reason stays", () => {
    const result = transition(shipment("CANCELLED"), "CANCELLED", { at: later, cancelReason: "another" });

    expect(result.changed).toBe(false);
    expect(result.shipment.cancelReason).toBe("first reason");
  });
});
