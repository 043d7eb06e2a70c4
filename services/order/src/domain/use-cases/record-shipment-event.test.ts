import { describe, expect, it } from "vitest";
import { type Order, OrderStatus } from "../order.ts";
import type { SagaRecord } from "../ports/saga.repository.port.ts";
import { newSaga } from "../saga/saga-state.ts";
import { applyShipmentStatus, type ShipmentStatus } from "./record-shipment-event.use-case.ts";

const now = new Date("2026-12-03T10:00:00Z");
/** The saga schedule's clock (the database's) an hour behind this host's: the two must not be mixed up. */
const dueNow = new Date("2026-12-03T09:00:00Z");
function record(status: OrderStatus, shipmentId: string | undefined = "shp-1"): SagaRecord {
  const order = { id: "o-1", status, shipmentId, cancelRequested: status === "CONFIRMED" } as Order;
  return { order, saga: { ...newSaga(now), phase: "DONE" } };
}

describe("applyShipmentStatus", () => {
  it.each([
    ["CONFIRMED", "SHIPPED", "SHIPPED", "COMMITTING"],
    ["SHIPPED", "DELIVERED", "DELIVERED", "DONE"],
    ["SHIPPED", "SHIPPED", "SHIPPED", "DONE"],
    ["DELIVERED", "SHIPPED", "DELIVERED", "DONE"],
    ["CONFIRMED", "PICKING", "CONFIRMED", "DONE"],
    ["CONFIRMED", "PACKED", "CONFIRMED", "DONE"],
    ["CANCELLED", "CANCELLED", "CANCELLED", "DONE"],
  ] as const)(
    "when the order is %s and the shipment becomes %s, then the order is %s (saga %s)",
    (from, shipment, to, phase) => {
      const next = applyShipmentStatus(
        record(from),
        { shipmentId: "shp-1", status: shipment as ShipmentStatus },
        now,
        now,
      );
      expect(next.order.status).toBe(to);
      expect(next.saga.phase).toBe(phase);
    },
  );

  it("when the goods ship while a cancel is pending, then the cancel is dropped", () => {
    const next = applyShipmentStatus(
      record(OrderStatus.CONFIRMED),
      { shipmentId: "shp-1", status: "SHIPPED" },
      now,
      dueNow,
    );
    expect(next.order.cancelRequested).toBe(false);
    // Stamped in the wall clock, scheduled in the saga's (the database's) clock.
    expect(next.order.updatedAt).toBe(now);
    expect(next.saga.nextAttemptAt).toBe(dueNow);
  });

  // Whoever sends it (the caller allowlist is a separate gate): impossible moves are refused.
  it.each([
    ["CONFIRMED", "shp-1", "DELIVERED", "INVALID_TRANSITION"],
    ["CANCELLED", "shp-1", "SHIPPED", "INVALID_TRANSITION"],
    ["FAILED", "shp-1", "DELIVERED", "INVALID_TRANSITION"],
    ["CANCELLED", "shp-1", "DELIVERED", "INVALID_TRANSITION"],
    ["REJECTED", "shp-1", "SHIPPED", "INVALID_TRANSITION"],
    ["FAILED", "shp-1", "SHIPPED", "INVALID_TRANSITION"],
    ["CONFIRMED", "shp-other", "SHIPPED", "SHIPMENT_MISMATCH"],
    ["SHIPPED", "shp-other", "DELIVERED", "SHIPMENT_MISMATCH"],
    ["DELIVERED", "shp-other", "DELIVERED", "SHIPMENT_MISMATCH"],
    ["PENDING", "shp-1", "SHIPPED", "ORDER_NOT_READY"],
  ] as const)("when the order is %s and shipment %s says %s, then %s", (from, shipmentId, status, reason) => {
    expect(() => applyShipmentStatus(record(from), { shipmentId, status }, now, now)).toThrow(
      expect.objectContaining({ reason, ...(reason === "ORDER_NOT_READY" ? {} : { code: 9 }) }),
    );
  });

  it("when the saga has not stored the shipment yet, then ORDER_NOT_READY (ABORTED, so the sender retries)", () => {
    expect(() =>
      applyShipmentStatus(
        record(OrderStatus.PENDING, undefined),
        { shipmentId: "shp-1", status: "SHIPPED" },
        now,
        now,
      ),
    ).toThrow(expect.objectContaining({ reason: "ORDER_NOT_READY", code: 10 }));
  });
});
