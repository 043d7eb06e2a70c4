import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Seconds; spans sub-millisecond in-process calls to multi-second saga steps. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

type HttpLabels = "method" | "route" | "status_code";
type RpcLabels = "rpc_service" | "rpc_method" | "rpc_grpc_status_code";

export interface MetricsOptions {
  service: string;
  version: string;
  /** Default Node.js runtime metrics (event loop lag, heap, GC…). Default true. */
  collectDefault?: boolean;
}

/**
 * One registry per process with the RED histograms every service exports. HTTP and gRPC share one
 * label scheme, server and client side; routes are templates (`/v1/items/:sku`), never raw paths.
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

  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ) => new Histogram<L>({ name, help, labelNames, buckets: [...buckets], registers: [registry] });

  return {
    registry,
    httpServerDuration: histogram(
      "http_server_request_duration_seconds",
      "Duration of HTTP requests served.",
      ["method", "route", "status_code"],
    ),
    httpClientDuration: histogram("http_client_request_duration_seconds", "Duration of HTTP requests sent.", [
      "method",
      "route",
      "status_code",
    ]),
    rpcServerDuration: histogram("rpc_server_duration_seconds", "Duration of gRPC calls served.", [
      "rpc_service",
      "rpc_method",
      "rpc_grpc_status_code",
    ]),
    rpcClientDuration: histogram("rpc_client_duration_seconds", "Duration of gRPC calls sent.", [
      "rpc_service",
      "rpc_method",
      "rpc_grpc_status_code",
    ]),
    counter: (name, help, labelNames = []) => new Counter({ name, help, labelNames, registers: [registry] }),
    gauge: <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[] = [],
      collect?: (gauge: Gauge<L>) => Promise<void> | void,
    ) =>
      new Gauge<L>({
        name,
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
