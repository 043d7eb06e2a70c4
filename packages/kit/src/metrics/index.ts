export {
  createMetrics,
  type HttpLabels,
  LATENCY_BUCKETS,
  METRIC_PREFIX,
  type Metrics,
  type MetricsOptions,
  metricName,
  type RpcLabels,
} from "./create-metrics.ts";
