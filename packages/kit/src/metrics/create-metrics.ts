import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Seconds; spans sub-millisecond in-process calls to multi-second saga steps. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** OpenTelemetry semantic-convention names (`http.request.method`…) in Prometheus spelling. */
export type HttpLabels = "http_request_method" | "http_route" | "http_response_status_code";
export type RpcLabels = "rpc_service" | "rpc_method" | "rpc_grpc_status_code";

const HTTP_LABELS: readonly HttpLabels[] = ["http_request_method", "http_route", "http_response_status_code"];
const RPC_LABELS: readonly RpcLabels[] = ["rpc_service", "rpc_method", "rpc_grpc_status_code"];

/** Every metric Orderly exports carries this prefix; names given without it get it. */
export const METRIC_PREFIX = "orderly_";

/** `inventory_reservations_expired_total` -> `orderly_inventory_reservations_expired_total`. */
export function metricName(name: string): string {
  return name.startsWith(METRIC_PREFIX) ? name : `${METRIC_PREFIX}${name}`;
}

export interface MetricsOptions {
  service: string;
  version: string;
  /** Default Node.js runtime metrics (event loop lag, heap, GC…). Default true. */
  collectDefault?: boolean;
}

/**
 * One registry per process with the RED histograms every service exports. HTTP and gRPC label
 * names follow OpenTelemetry's semantic conventions, server and client side; routes are templates
 * (`/v1/items/:sku`), never raw paths. Every metric made through `counter`, `gauge` and `histogram`
 * is named `orderly_<name>` (the prefix is added when missing); only the default runtime metrics
 * (`process_*`, `nodejs_*`) keep prom-client's standard names, which dashboards expect.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpServerDuration: Histogram<HttpLabels>;
  readonly httpClientDuration: Histogram<HttpLabels>;
  readonly rpcServerDuration: Histogram<RpcLabels>;
  readonly rpcClientDuration: Histogram<RpcLabels>;
  counter<L extends string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  /** `collect`, when given, runs on every scrape to set the gauge (a value computed, not tracked). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    collect?: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L>;
  histogram<L extends string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: readonly number[],
  ): Histogram<L>;
  /** The Prometheus text exposition and its content type, for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.collectDefault !== false) collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "orderly_build_info",
    help: "Build information; always 1.",
    labelNames: ["version", "node_version"],
    registers: [registry],
  }).set({ version: options.version, node_version: process.versions.node }, 1);

  // A name is registered once per registry: asking again (a second client of the same peer type,
  // a test building two apps on one Metrics) returns the metric already there.
  const existing = <M>(name: string): M | undefined => registry.getSingleMetric(name) as M | undefined;

  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ) =>
    existing<Histogram<L>>(metricName(name)) ??
    new Histogram<L>({
      name: metricName(name),
      help,
      labelNames,
      buckets: [...buckets],
      registers: [registry],
    });

  return {
    registry,
    httpServerDuration: histogram(
      "http_server_request_duration_seconds",
      "Duration of HTTP requests served (probes and scrapes excluded).",
      HTTP_LABELS,
    ),
    httpClientDuration: histogram(
      "http_client_request_duration_seconds",
      "Duration of HTTP requests sent.",
      HTTP_LABELS,
    ),
    rpcServerDuration: histogram("rpc_server_duration_seconds", "Duration of gRPC calls served.", RPC_LABELS),
    rpcClientDuration: histogram("rpc_client_duration_seconds", "Duration of gRPC calls sent.", RPC_LABELS),
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      existing<Counter<L>>(metricName(name)) ??
      new Counter<L>({ name: metricName(name), help, labelNames, registers: [registry] }),
    gauge: <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[] = [],
      collect?: (gauge: Gauge<L>) => Promise<void> | void,
    ) =>
      existing<Gauge<L>>(metricName(name)) ??
      new Gauge<L>({
        name: metricName(name),
        help,
        labelNames,
        registers: [registry],
        ...(collect
          ? {
              collect(this: Gauge<L>) {
                return collect(this);
              },
            }
          : {}),
      }),
    histogram,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
