import type { Metrics } from "@orderly/kit/metrics";
import type { OrderStatus } from "./domain/order.ts";
import type { SagaObserver, StepOutcome } from "./domain/ports/saga-observer.port.ts";

/** The saga's metrics: outcomes, step latency, retries, compensations; unfinished sagas on scrape. */
export function sagaMetrics(
  metrics: Metrics,
  countUnfinished: () => Promise<number>,
): Omit<SagaObserver, "inStep"> {
  const orders = metrics.counter("orders_total", "Orders reaching a status, by status.", ["status"]);
  const steps = metrics.histogram("order_saga_step_duration_seconds", "Duration of saga steps.", [
    "step",
    "outcome",
  ]);
  const retries = metrics.counter("order_saga_retries_total", "Saga phases deferred for retry.", ["step"]);
  const compensations = metrics.counter("order_saga_compensations_total", "Compensating actions done.", [
    "step",
  ]);
  // Computed when Prometheus scrapes, so it costs nothing between scrapes.
  metrics.gauge("order_sagas_pending", "Sagas not yet finished.", [], async (gauge) => {
    gauge.set(await countUnfinished().catch(() => Number.NaN));
  });
  return {
    stepFinished: (step: string, outcome: StepOutcome, seconds: number) =>
      steps.observe({ step, outcome }, seconds),
    retryScheduled: (step: string) => retries.inc({ step }),
    compensated: (step: string) => compensations.inc({ step }),
    orderSettled: (status: OrderStatus) => orders.inc({ status }),
  };
}
