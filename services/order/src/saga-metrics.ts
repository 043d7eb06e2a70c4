import type { Metrics } from "@orderly/kit/metrics";
import type { OrderStatus } from "./domain/order.ts";
import type { SagaObserver, StepOutcome } from "./domain/saga/saga-observer.ts";
import type { SagaStep } from "./domain/saga/saga-step.ts";

/** The saga's metrics: outcomes, step latency, retries, compensations; pending sagas on scrape. */
export function sagaMetrics(metrics: Metrics, countPending: () => Promise<number>): SagaObserver {
  const orders = metrics.counter("orders_total", "Orders reaching a status, by status.", ["status"]);
  const steps = metrics.histogram("order_saga_step_duration_seconds", "Duration of saga steps.", [
    "step",
    "outcome",
  ]);
  const retries = metrics.counter("order_saga_retries_total", "Saga steps deferred for retry.", ["step"]);
  const compensations = metrics.counter("order_saga_compensations_total", "Compensating actions done.", [
    "step",
  ]);
  // Computed when Prometheus scrapes, so it costs nothing between scrapes.
  metrics.gauge("order_sagas_pending", "Sagas not yet finished.", [], async (gauge) => {
    gauge.set(await countPending().catch(() => Number.NaN));
  });
  return {
    stepFinished: (step: SagaStep, outcome: StepOutcome, seconds: number) =>
      steps.observe({ step, outcome }, seconds),
    retryScheduled: (step: SagaStep) => retries.inc({ step }),
    compensated: (step: SagaStep) => compensations.inc({ step }),
    orderSettled: (status: OrderStatus) => orders.inc({ status }),
  };
}
