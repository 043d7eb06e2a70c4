import type { OrderStatus } from "../order.ts";
import type { SagaStep } from "./saga-step.ts";

export type StepOutcome = "ok" | "transient" | "permanent";

/** What the saga reports for metrics; implemented outside the domain. */
export interface SagaObserver {
  stepFinished(step: SagaStep, outcome: StepOutcome, seconds: number): void;
  retryScheduled(step: SagaStep): void;
  compensated(step: SagaStep): void;
  orderSettled(status: OrderStatus): void;
}

export const silentObserver: SagaObserver = {
  stepFinished: () => undefined,
  retryScheduled: () => undefined,
  compensated: () => undefined,
  orderSettled: () => undefined,
};
