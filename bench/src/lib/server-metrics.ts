/**
 * Where the time goes inside the stack: each service's own Prometheus histograms (RED metrics of
 * the kit, the order saga's step durations), scraped from /metrics before and after a load run, as
 * calls and mean milliseconds per series over the run.
 */
export interface ServerTime {
  service: string;
  /** `rpc server GetItem`, `http POST /v1/orders`, `saga step RESERVE`… */
  series: string;
  calls: number;
  meanMs: number;
}

type Totals = Map<string, { sum: number; count: number }>;

// Label and metric names as the kit exports them today, and as the house names decided for later
// (`orderly_` prefix; http_request_method, http_route, http_response_status_code): both are read.
const method = (l: Record<string, string>) => l.http_request_method ?? l.method;
const route = (l: Record<string, string>) => l.http_route ?? l.route;
const status = (l: Record<string, string>) => l.http_response_status_code ?? l.status_code;

const HISTOGRAMS: Record<string, (labels: Record<string, string>) => string | undefined> = {
  http_server_request_duration_seconds: (l) =>
    route(l)?.startsWith("/v1") ? `http server ${method(l)} ${route(l)} ${status(l)}` : undefined,
  rpc_server_duration_seconds: (l) => `rpc server ${l.rpc_method} ${l.rpc_grpc_status_code}`,
  rpc_client_duration_seconds: (l) => `rpc client ${l.rpc_method} ${l.rpc_grpc_status_code}`,
  order_saga_step_duration_seconds: (l) => `saga step ${l.step} ${l.outcome}`,
};

const LINE = /^([a-z_]+)_(sum|count)\{([^}]*)\} ([0-9.eE+-]+|NaN)$/;
const LABEL = /([a-z_]+)="((?:[^"\\]|\\.)*)"/g;

export function parseHistogramTotals(text: string): Totals {
  const totals: Totals = new Map();
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, part, rawLabels, value] = m as unknown as [
      string,
      string,
      "sum" | "count",
      string,
      string,
    ];
    const describe = HISTOGRAMS[name.replace(/^orderly_/, "")];
    if (!describe) continue;
    const labels: Record<string, string> = {};
    for (const l of rawLabels.matchAll(LABEL)) labels[l[1] as string] = l[2] as string;
    const series = describe(labels);
    if (!series) continue;
    const entry = totals.get(series) ?? { sum: 0, count: 0 };
    entry[part] += Number(value);
    totals.set(series, entry);
  }
  return totals;
}

/**
 * The runtime gauges of prom-client's default metrics: event-loop delay (its
 * monitorEventLoopDelay histogram is reset on every scrape, so a scrape right after a load run
 * reports the delay during that run) and the process's CPU seconds.
 */
export interface RuntimeGauges {
  eventLoopP99Ms?: number;
  eventLoopMaxMs?: number;
  eventLoopMeanMs?: number;
  cpuSeconds?: number;
}

const GAUGE =
  /^(?:orderly_)?(nodejs_eventloop_lag_(?:p99|max|mean)_seconds|process_cpu_seconds_total)(?:\{[^}]*\})? ([0-9.eE+-]+)$/;

export function parseRuntimeGauges(text: string): RuntimeGauges {
  const out: RuntimeGauges = {};
  for (const line of text.split("\n")) {
    const m = GAUGE.exec(line);
    if (!m) continue;
    const value = Number(m[2]);
    if (!Number.isFinite(value)) continue;
    if (m[1] === "nodejs_eventloop_lag_p99_seconds") out.eventLoopP99Ms = Math.round(value * 1e5) / 100;
    else if (m[1] === "nodejs_eventloop_lag_max_seconds") out.eventLoopMaxMs = Math.round(value * 1e5) / 100;
    else if (m[1] === "nodejs_eventloop_lag_mean_seconds")
      out.eventLoopMeanMs = Math.round(value * 1e5) / 100;
    else out.cpuSeconds = value;
  }
  return out;
}

export interface Scrape {
  totals: Totals;
  runtime: RuntimeGauges;
}

export async function scrapeMetrics(httpUrl: string): Promise<Scrape> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    return { totals: parseHistogramTotals(text), runtime: parseRuntimeGauges(text) };
  } catch {
    return { totals: new Map(), runtime: {} };
  }
}

/** Calls and mean duration per series between two scrapes of one service. */
export function diffTotals(service: string, before: Totals, after: Totals): ServerTime[] {
  const out: ServerTime[] = [];
  for (const [series, a] of after) {
    const b = before.get(series) ?? { sum: 0, count: 0 };
    const calls = a.count - b.count;
    if (calls <= 0) continue;
    out.push({ service, series, calls, meanMs: Math.round(((a.sum - b.sum) / calls) * 1e5) / 100 });
  }
  return out.sort((x, y) => x.series.localeCompare(y.series));
}
