export { createMetrics, LATENCY_BUCKETS, type Metrics, type MetricsOptions } from "./create-metrics.ts";
