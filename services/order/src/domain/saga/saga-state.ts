import type { OrderStatus } from "../order.ts";
import type { SagaStep } from "./saga-step.ts";

/**
 * FORWARD: reserve, invoice, ship, then CONFIRMED. COMPENSATING: undo in reverse, then the target
 * status (FAILED or CANCELLED). COMMITTING: the shipment left, commit the reservation. DONE.
 */
export type SagaPhase = "FORWARD" | "COMPENSATING" | "COMMITTING" | "DONE";

export interface SagaState {
  orderId: string;
  phase: SagaPhase;
  /** Where COMPENSATING ends: FAILED or CANCELLED. */
  targetStatus: OrderStatus | undefined;
  reason: string;
  shipmentCancelled: boolean;
  invoiceVoided: boolean;
  reservationReleased: boolean;
  /** The step last attempted without a known outcome (paused on a transient error, or failed). */
  attemptedStep: SagaStep | undefined;
  /** Consecutive transient failures of the current step. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string;
}

export function newSaga(orderId: string, now: Date): SagaState {
  return {
    orderId,
    phase: "FORWARD",
    targetStatus: undefined,
    reason: "",
    shipmentCancelled: false,
    invoiceVoided: false,
    reservationReleased: false,
    attemptedStep: undefined,
    attempts: 0,
    nextAttemptAt: now,
    lastError: "",
  };
}

/** Step idempotency keys derive from the order id and the step, so no retry does anything twice. */
export function reservationIdOf(orderId: string): string {
  return `${orderId}:reserve`;
}
