import type { Metrics } from "../metrics/index.ts";
import type { AdmissionLimit } from "./admission-limit.ts";

export type AdmissionTransport = "http" | "grpc";

// A gauge is registered once per registry, with one collect function: it reads every limit
// exported to that registry, however many transports (or test servers) added one.
const exported = new WeakMap<Metrics, Map<AdmissionTransport, AdmissionLimit>>();

/**
 * orderly_admission_limit and orderly_admission_in_flight per transport, read on each scrape.
 * Refusals are counted in orderly_requests_shed_total{cause="in_flight"} with the other causes.
 */
export function exportAdmissionLimit(
  metrics: Metrics,
  transport: AdmissionTransport,
  admission: AdmissionLimit,
): void {
  let limits = exported.get(metrics);
  if (!limits) {
    const tracked = new Map<AdmissionTransport, AdmissionLimit>();
    limits = tracked;
    exported.set(metrics, tracked);
    metrics.gauge(
      "admission_limit",
      "Requests (HTTP) or unary calls (gRPC) this instance admits at once right now (adaptive or static).",
      ["transport"],
      (gauge) => {
        for (const [name, limit] of tracked) gauge.labels(name).set(limit.limit);
      },
    );
    metrics.gauge(
      "admission_in_flight",
      "Requests (HTTP) or unary calls (gRPC) admitted and not finished yet.",
      ["transport"],
      (gauge) => {
        for (const [name, limit] of tracked) gauge.labels(name).set(limit.inFlight);
      },
    );
  }
  limits.set(transport, admission);
}
