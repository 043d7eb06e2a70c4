import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import type { LoadStats } from "./result.ts";

/**
 * Latencies (recorded in microseconds, so sub-millisecond answers keep their precision) and
 * outcome counts of one load run; the same for HTTP and gRPC, so both report alike.
 */
export class LoadRecorder {
  readonly #histogram: RecordableHistogram = createHistogram();
  readonly statuses: Record<string, number> = {};
  requests = 0;
  errors = 0;
  non2xx = 0;

  /** A completed request: `ok` is 2xx / gRPC OK; `status` the HTTP code or gRPC status name. */
  record(latencyMs: number, status: string, ok: boolean): void {
    this.#histogram.record(Math.max(1, Math.round(latencyMs * 1000)));
    this.requests++;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (!ok) this.non2xx++;
  }

  /** No answer at all (connection error, timeout). */
  error(kind: string): void {
    this.errors++;
    this.statuses[kind] = (this.statuses[kind] ?? 0) + 1;
  }

  stats(durationSeconds: number): LoadStats {
    const h = this.#histogram;
    const ms = (us: number) => Math.round(us) / 1000;
    const empty = h.count === 0;
    return {
      rps: Math.round((this.requests / durationSeconds) * 10) / 10,
      requests: this.requests,
      durationSeconds: Math.round(durationSeconds * 1000) / 1000,
      latencyMs: {
        p50: empty ? 0 : ms(h.percentile(50)),
        p90: empty ? 0 : ms(h.percentile(90)),
        p99: empty ? 0 : ms(h.percentile(99)),
        max: empty ? 0 : ms(h.max),
        mean: empty ? 0 : ms(h.mean),
      },
      errors: this.errors,
      non2xx: this.non2xx,
      statuses: { ...this.statuses },
    };
  }
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds of one side combined: throughput from totals, percentiles as the median of rounds, max as max. */
export function combineRounds(rounds: readonly LoadStats[]): LoadStats {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.durationSeconds, 0);
  const statuses: Record<string, number> = {};
  for (const r of rounds)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const pick = (f: (s: LoadStats) => number) => median(rounds.map(f));
  return {
    rps: seconds > 0 ? Math.round((requests / seconds) * 10) / 10 : 0,
    requests,
    durationSeconds: Math.round(seconds * 1000) / 1000,
    latencyMs: {
      p50: pick((r) => r.latencyMs.p50),
      p90: pick((r) => r.latencyMs.p90),
      p99: pick((r) => r.latencyMs.p99),
      max: Math.max(0, ...rounds.map((r) => r.latencyMs.max)),
      mean: pick((r) => r.latencyMs.mean),
    },
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    statuses,
  };
}
