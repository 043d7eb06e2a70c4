import { type FieldViolation, validationError } from "@orderly/kit/errors";
import { type Order, OrderStatus } from "./order.ts";
import { orderNotFound } from "./order-errors.ts";
import type { Clock, OrderStore } from "./ports.ts";
import type { SagaObserver } from "./saga/saga-observer.ts";
import type { SagaState } from "./saga/saga-state.ts";

export type ShipmentStatus = "PENDING" | "PICKING" | "PACKED" | "SHIPPED" | "DELIVERED" | "CANCELLED";

export interface ShipmentEvent {
  eventId: string;
  orderId: string;
  shipmentId: string;
  status: ShipmentStatus | "UNSPECIFIED";
}

/**
 * Applies fulfillment's status change to the order once per event id (at-least-once delivery is
 * deduplicated here): SHIPPED moves the order on and schedules the stock commit; DELIVERED ends it.
 */
export async function recordShipmentEvent(
  deps: { store: OrderStore; clock: Clock; observer: SagaObserver; wake: (orderId: string) => void },
  event: ShipmentEvent,
): Promise<{ duplicate: boolean }> {
  const violations: FieldViolation[] = [];
  if (event.eventId.trim() === "") violations.push({ field: "event.event_id", description: "is required" });
  if (event.orderId.trim() === "") violations.push({ field: "event.order_id", description: "is required" });
  if (event.status === "UNSPECIFIED") violations.push({ field: "event.status", description: "is required" });
  if (violations.length > 0) throw validationError(violations);

  let settled: Order["status"] | undefined;
  const result = await deps.store.applyShipmentEvent(event.eventId, event.orderId, (order, saga) => {
    const next = applyShipmentStatus(order, saga, event.status as ShipmentStatus, deps.clock.now());
    if (next.order.status !== order.status) settled = next.order.status;
    return next;
  });
  if (result === "order-not-found") throw orderNotFound(event.orderId);
  if (result === "applied") {
    if (settled) deps.observer.orderSettled(settled);
    deps.wake(event.orderId);
  }
  return { duplicate: result === "duplicate" };
}

/** Pure: the order and saga after a shipment status change. Status never moves backwards. */
export function applyShipmentStatus(
  order: Order,
  saga: SagaState,
  status: ShipmentStatus,
  now: Date,
): { order: Order; saga: SagaState } {
  const shippedOrLater = status === "SHIPPED" || status === "DELIVERED";
  if (!shippedOrLater) return { order, saga };
  const from = order.status;
  if (from !== OrderStatus.CONFIRMED && from !== OrderStatus.SHIPPED) return { order, saga };
  const to = status === "DELIVERED" ? OrderStatus.DELIVERED : OrderStatus.SHIPPED;
  if (from === to) return { order, saga };
  // The goods left: a pending cancel lost the race, and the reservation must be committed once.
  const commitPending = from === OrderStatus.CONFIRMED;
  return {
    order: { ...order, status: to, cancelRequested: false, updatedAt: now },
    saga: commitPending
      ? { ...saga, phase: "COMMITTING", targetStatus: undefined, reason: "", attempts: 0, nextAttemptAt: now }
      : saga,
  };
}
