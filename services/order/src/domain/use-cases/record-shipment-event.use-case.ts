import { textProblem } from "@orderly/contracts/rules";
import { type Clock, isUuid, Violations } from "@orderly/kit/domain";
import { OrderStatus } from "../order.ts";
import { invalidTransition, orderNotFound, orderNotReady, shipmentMismatch } from "../order-errors.ts";
import type { SagaRecord } from "../ports/saga.repository.port.ts";
import type { SagaObserver } from "../ports/saga-observer.port.ts";
import type { ShipmentEventInbox } from "../ports/shipment-event-inbox.port.ts";
import type { SagaScheduleClock } from "../saga/saga-schedule-clock.ts";

export type ShipmentStatus = "PENDING" | "PICKING" | "PACKED" | "SHIPPED" | "DELIVERED" | "CANCELLED";

export interface ShipmentEvent {
  eventId: string;
  orderId: string;
  shipmentId: string;
  status: ShipmentStatus | "UNSPECIFIED";
}

const ID = { min: 1, max: 128 } as const;

export interface RecordShipmentEventDeps {
  inbox: ShipmentEventInbox;
  clock: Clock;
  /** The saga schedule's clock: a SHIPPED order's stock commit is due now in it. */
  schedule: SagaScheduleClock;
  observer: SagaObserver;
  /** Runs the saga's next phase (the stock commit) outside this call. */
  wake: (orderId: string) => void;
}

/**
 * Applies fulfillment's status change to the order once per event id (at-least-once delivery is
 * deduplicated here): SHIPPED moves the order on and schedules the stock commit; DELIVERED ends it.
 * Whoever sends it, an event that does not fit the order (another shipment, DELIVERED before
 * SHIPPED) is refused and changes nothing.
 */
export function makeRecordShipmentEvent(deps: RecordShipmentEventDeps) {
  return async function recordShipmentEvent(event: ShipmentEvent): Promise<{ duplicate: boolean }> {
    const violations = new Violations();
    violations.check("event.event_id", textProblem(event.eventId, ID));
    violations.check("event.order_id", isUuid(event.orderId) ? undefined : "must be an order id (UUID)");
    violations.check("event.shipment_id", textProblem(event.shipmentId, ID));
    violations.check("event.status", event.status === "UNSPECIFIED" ? "is required" : undefined);
    violations.throwIfAny();
    // Picking, packing, the shipment's creation and the saga's own cancel change nothing on the
    // order: answered without touching the database (one transaction less per order).
    if (targetOf(event.status) === undefined) return { duplicate: false };

    let settled: OrderStatus | undefined;
    const result = await deps.inbox.applyOnce(event.eventId, event.orderId, (current) => {
      const next = applyShipmentStatus(
        current,
        event as ShipmentEvent & { status: ShipmentStatus },
        deps.clock.now(),
        deps.schedule.now(),
      );
      if (next.order.status !== current.order.status) settled = next.order.status;
      return next;
    });
    if (result === "order-not-found") throw orderNotFound(event.orderId);
    if (result === "applied" && settled) {
      deps.observer.orderSettled(settled);
      deps.wake(event.orderId);
    }
    return { duplicate: result === "duplicate" };
  };
}

/** The order status a shipment status moves the order to; undefined when it moves nothing. */
function targetOf(status: ShipmentStatus | "UNSPECIFIED"): OrderStatus | undefined {
  if (status === "SHIPPED") return OrderStatus.SHIPPED;
  if (status === "DELIVERED") return OrderStatus.DELIVERED;
  return undefined;
}

/** Pure: the order and saga after a shipment status change, or the reason it does not apply. */
export function applyShipmentStatus(
  current: SagaRecord,
  event: { shipmentId: string; status: ShipmentStatus },
  now: Date,
  dueNow: Date,
): SagaRecord {
  const { order, saga } = current;
  if (order.shipmentId === undefined) {
    // The saga created the shipment but has not stored it yet: the sender retries shortly.
    if (order.status === OrderStatus.PENDING) throw orderNotReady(order.id);
    throw shipmentMismatch(order.id, event.shipmentId);
  }
  if (order.shipmentId !== event.shipmentId) throw shipmentMismatch(order.id, event.shipmentId);
  const target =
    event.status === "SHIPPED"
      ? OrderStatus.SHIPPED
      : event.status === "DELIVERED"
        ? OrderStatus.DELIVERED
        : undefined;
  // Picking, packing and the saga's own cancellation do not change the order.
  if (target === undefined || target === order.status) return current;
  if (order.status === OrderStatus.DELIVERED && target === OrderStatus.SHIPPED) return current;
  if (target === OrderStatus.SHIPPED && order.status === OrderStatus.CONFIRMED) {
    // The goods left: a pending cancel lost the race, and the reservation is committed once.
    return {
      order: { ...order, status: OrderStatus.SHIPPED, cancelRequested: false, updatedAt: now },
      saga: {
        ...saga,
        phase: "COMMITTING",
        targetStatus: undefined,
        reason: "",
        attempts: 0,
        nextAttemptAt: dueNow,
      },
    };
  }
  if (target === OrderStatus.DELIVERED && order.status === OrderStatus.SHIPPED) {
    return { order: { ...order, status: OrderStatus.DELIVERED, updatedAt: now }, saga };
  }
  if (order.status === OrderStatus.PENDING) throw orderNotReady(order.id);
  throw invalidTransition(order.id, order.status, target);
}
