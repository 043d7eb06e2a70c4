import { type Order, OrderStatus } from "../order.ts";
import type { SagaState } from "./saga-state.ts";

export type ForwardStep = "RESERVE" | "INVOICE" | "SHIP";
export type CompensationStep = "CANCEL_SHIPMENT" | "VOID_INVOICE" | "RELEASE_STOCK";
export type SagaStep = ForwardStep | CompensationStep | "COMMIT_STOCK";

const FORWARD_RANK: Record<ForwardStep, number> = { RESERVE: 1, INVOICE: 2, SHIP: 3 };

export function isForwardStep(step: SagaStep): step is ForwardStep {
  return step in FORWARD_RANK;
}

/**
 * How far forward the saga may have got, counting a step that was attempted but whose outcome is
 * unknown (a timeout may still have created the shipment): compensation must cover it.
 */
export function forwardReach(order: Order, saga: SagaState): number {
  const known = order.shipmentId ? 3 : order.invoiceId ? 2 : order.reservationId ? 1 : 0;
  const attempted =
    saga.attemptedStep && isForwardStep(saga.attemptedStep) ? FORWARD_RANK[saga.attemptedStep] : 0;
  return Math.max(known, attempted);
}

/** Whether a cancel request can still be honoured: until the goods ship. */
export function cancellable(status: OrderStatus): boolean {
  return status === OrderStatus.PENDING || status === OrderStatus.CONFIRMED;
}

/** The next thing to do, or undefined when the saga has nothing left. Pure. */
export function nextStep(order: Order, saga: SagaState): SagaStep | undefined {
  switch (saga.phase) {
    case "FORWARD":
      // Only a PENDING order moves forward; anything else was settled by an earlier run.
      if (order.status !== OrderStatus.PENDING) return undefined;
      if (!order.reservationId) return "RESERVE";
      if (!order.invoiceId) return "INVOICE";
      if (!order.shipmentId) return "SHIP";
      return undefined;
    case "COMPENSATING": {
      const reach = forwardReach(order, saga);
      if (reach >= 3 && !saga.shipmentCancelled) return "CANCEL_SHIPMENT";
      if (reach >= 2 && !saga.invoiceVoided) return "VOID_INVOICE";
      if (reach >= 1 && !saga.reservationReleased) return "RELEASE_STOCK";
      return undefined;
    }
    case "COMMITTING":
      return "COMMIT_STOCK";
    case "DONE":
      return undefined;
  }
}
