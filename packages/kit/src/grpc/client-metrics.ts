import type { Counter, Gauge } from "prom-client";
import type { Metrics } from "../metrics/index.ts";

type RetryLabels = "rpc_service" | "rpc_method";

/**
 * The client-only metrics. Every client of a process shares one registry and a name can be
 * registered once, so the second client reuses what the first created.
 */
export function clientRetriesCounter(metrics: Metrics): Counter<RetryLabels> {
  const name = "rpc_client_retries_total";
  return (
    (metrics.registry.getSingleMetric(name) as Counter<RetryLabels> | undefined) ??
    metrics.counter(name, "gRPC call attempts repeated after a retryable failure.", [
      "rpc_service",
      "rpc_method",
    ])
  );
}

export function circuitStateGauge(metrics: Metrics): Gauge<"peer"> {
  const name = "rpc_client_circuit_state";
  return (
    (metrics.registry.getSingleMetric(name) as Gauge<"peer"> | undefined) ??
    metrics.gauge(name, "Circuit breaker state per peer: 0 closed, 1 open, 2 half-open.", ["peer"])
  );
}

export function canaryCallsCounter(metrics: Metrics): Counter<"peer"> {
  return metrics.counter(
    "rpc_client_canary_calls_total",
    "gRPC call attempts sent to a peer's canary version (CANARY_VERSION).",
    ["peer"],
  );
}

/**
 * Canary attempts that failed on the canary's side (transient, INTERNAL, UNKNOWN, UNIMPLEMENTED,
 * DATA_LOSS; a domain answer such as NOT_FOUND is not a failure): with rpc_client_canary_calls_total,
 * the canary's error rate as its callers see it, per attempt (a retry that lands on stable hides
 * the failure from the call's own status), which is what a rollout watches to roll back.
 */
export function canaryErrorsCounter(metrics: Metrics): Counter<"peer"> {
  return metrics.counter(
    "rpc_client_canary_errors_total",
    "gRPC call attempts to a peer's canary version that failed on the canary's side.",
    ["peer"],
  );
}
