import { createHistogram } from "node:perf_hooks";
import type { RequestRecord } from "../load/order-client.ts";

export interface Phases {
  /** performance.now() when the fault was injected, healed, and the load stopped. */
  injectedAt: number;
  healedAt: number;
  endedAt: number;
}

export interface RowStats {
  requests: number;
  /** Requests the client gave up on, or that got a final non-retryable error. */
  failed: number;
  /** Requests that needed more than one attempt (answered in the end or not). */
  retried: number;
  /** First attempts answered 503 / 429 (shed or limited): what the client saw of shedding. */
  firstAttemptShed: number;
  p99BeforeMs: number;
  p99DuringMs: number;
  p99AfterMs: number;
  /** p99 of requests admitted on their first attempt during the fault (overload's "admitted p99"). */
  p99AdmittedDuringMs: number;
  /** From heal to the start of the first request after which every request was clean; undefined = never. */
  recoverMs: number | undefined;
  failures: Record<string, number>;
}

function p99(records: readonly RequestRecord[]): number {
  if (records.length === 0) return 0;
  const h = createHistogram();
  for (const r of records) h.record(Math.max(1, Math.round((r.endedAt - r.startedAt) * 1000)));
  // HDR buckets are within 0.1 %: whole milliseconds are all the report needs.
  return Math.round(h.percentile(99) / 1000);
}

/**
 * The row of one fault from the client's records. A request is clean when it succeeded on its
 * first attempt within `cleanLatencyMs` (a multiple of the unloaded p99); recovery is the time from
 * heal to the first request of the after-window from which on every request was clean.
 */
export function rowStats(
  records: readonly RequestRecord[],
  phases: Phases,
  cleanLatencyMs: number,
): RowStats {
  // Before = answered before the fault hit (a request caught by the fault counts as "during").
  const before = records.filter((r) => r.endedAt < phases.injectedAt);
  const caught = records.filter((r) => r.startedAt < phases.injectedAt && r.endedAt >= phases.injectedAt);
  const during = [
    ...caught,
    ...records.filter((r) => r.startedAt >= phases.injectedAt && r.startedAt < phases.healedAt),
  ];
  const after = records
    .filter((r) => r.startedAt >= phases.healedAt)
    .sort((a, b) => a.startedAt - b.startedAt);
  const clean = (r: RequestRecord) => r.ok && r.attempts === 1 && r.endedAt - r.startedAt <= cleanLatencyMs;
  let lastDirty = -1;
  after.forEach((r, i) => {
    if (!clean(r)) lastDirty = i;
  });
  let recoverMs: number | undefined;
  if (lastDirty === -1) recoverMs = 0;
  else if (lastDirty < after.length - 1) {
    const next = after[lastDirty + 1] as RequestRecord;
    recoverMs = Math.max(0, Math.round(next.startedAt - phases.healedAt));
  }
  const failures: Record<string, number> = {};
  for (const r of records) if (!r.ok) failures[r.final] = (failures[r.final] ?? 0) + 1;
  return {
    requests: records.length,
    failed: records.filter((r) => !r.ok).length,
    retried: records.filter((r) => r.attempts > 1).length,
    firstAttemptShed: records.filter((r) => r.first === "503" || r.first === "429").length,
    p99BeforeMs: p99(before),
    p99DuringMs: p99(during),
    p99AfterMs: p99(after),
    p99AdmittedDuringMs: p99(during.filter((r) => r.ok && r.attempts === 1)),
    recoverMs,
    failures,
  };
}
