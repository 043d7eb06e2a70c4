import type { OrderStatus } from "../order.ts";

/**
 * FORWARD: run the steps, then CONFIRMED. COMPENSATING: undo every step in reverse, then the target
 * status (FAILED or CANCELLED). COMMITTING: the goods left, make the reservation final. DONE.
 *
 * Nothing between the start and the end of a phase is stored: every step and every undo is
 * idempotent and an undo of something never done is a no-op, so a resumed saga simply runs its
 * phase again. That is what keeps the happy path at two commits (insert, confirm).
 */
export type SagaPhase = "FORWARD" | "COMPENSATING" | "COMMITTING" | "DONE";

export interface SagaState {
  phase: SagaPhase;
  /** Where COMPENSATING ends: FAILED or CANCELLED. */
  targetStatus: OrderStatus | undefined;
  /** The order reason the saga ends with (status_reason). */
  reason: string;
  /** Consecutive transient failures of the current phase. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string;
}

export function newSaga(now: Date): SagaState {
  return {
    phase: "FORWARD",
    targetStatus: undefined,
    reason: "",
    attempts: 0,
    nextAttemptAt: now,
    lastError: "",
  };
}
