import { createHistogram } from "node:perf_hooks";
import type { RequestRecord } from "../load/order-client.ts";

/** How long every request must stay clean for the service to count as recovered. */
export const RECOVERY_STRETCH_MS = 2000;

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
  /** From heal to the first request opening a 2 s stretch of clean requests; undefined = not seen. */
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
 * heal to the first request that opens a 2 s stretch of clean requests.
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
  // Recovered at the first request that opens a clean stretch of RECOVERY_STRETCH_MS: one slow
  // request on a busy machine later on does not undo it, a still-broken service never gets there.
  let recoverMs: number | undefined;
  for (let i = 0; i < after.length; i++) {
    const from = (after[i] as RequestRecord).startedAt;
    if (from + RECOVERY_STRETCH_MS > phases.endedAt) break;
    let allClean = true;
    for (
      let j = i;
      j < after.length && (after[j] as RequestRecord).startedAt <= from + RECOVERY_STRETCH_MS;
      j++
    )
      if (!clean(after[j] as RequestRecord)) {
        allClean = false;
        break;
      }
    if (allClean) {
      recoverMs = i === 0 ? 0 : Math.round(from - phases.healedAt);
      break;
    }
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
