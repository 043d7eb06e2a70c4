import type { OrderStatus } from "../order.ts";

export type StepOutcome = "ok" | "rejected" | "transient" | "error";

/** What the saga reports for metrics and traces; implemented outside the domain. */
export interface SagaObserver {
  stepFinished(step: string, outcome: StepOutcome, seconds: number): void;
  retryScheduled(step: string): void;
  compensated(step: string): void;
  orderSettled(status: OrderStatus): void;
  /** Runs one step inside a span named after it (orderly.saga.step, orderly.order.id). */
  inStep<T>(step: string, orderId: string, run: () => Promise<T>): Promise<T>;
}

export const silentObserver: SagaObserver = {
  stepFinished: () => undefined,
  retryScheduled: () => undefined,
  compensated: () => undefined,
  orderSettled: () => undefined,
  inStep: (_step, _orderId, run) => run(),
};
