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

const HISTOGRAMS: Record<string, (labels: Record<string, string>) => string | undefined> = {
  http_server_request_duration_seconds: (l) =>
    l.route?.startsWith("/v1") ? `http server ${l.method} ${l.route} ${l.status_code}` : undefined,
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
    const describe = HISTOGRAMS[name];
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

export async function scrapeTotals(httpUrl: string): Promise<Totals> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
    return parseHistogramTotals(await response.text());
  } catch {
    return new Map();
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
