import type { RowStats } from "./row-stats.ts";
import type { Counters } from "./service-counters.ts";

export interface Row {
  fault: string;
  stats: RowStats;
  counters: Counters;
  /** Invariant problems after the settle phase (each line one kind, with up to 5 ids). */
  violations: string[];
  settleMs: number;
  /** Processes that died on their own during the row, with their last log lines. */
  crashed: string[];
  /** Goal checks that failed, in words; empty = the row met every goal. */
  missed: string[];
  /** What the row's fault measured beyond the columns (printed under the table). */
  notes: string[];
}

const ms = (v: number | undefined) => (v === undefined ? "never" : `${v}`);

/** The per-fault table as GitHub markdown, one row per fault. */
export function renderTable(rows: readonly Row[]): string {
  const head = [
    "fault",
    "requests",
    "failed",
    "retried",
    "first-try 503",
    "p99 before ms",
    "p99 during ms",
    "p99 after ms",
    "recover ms",
    "violations",
    "rpc retries",
    "saga retries",
    "breaker open",
    "shed http/grpc",
    "step calls/order",
    "goal",
  ];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const r of rows) {
    const s = r.stats;
    lines.push(
      `| ${[
        r.fault,
        s.requests,
        s.failed,
        s.retried,
        s.firstAttemptShed,
        s.p99BeforeMs,
        s.p99DuringMs,
        s.p99AfterMs,
        ms(s.recoverMs),
        r.violations.length,
        r.counters.rpcRetries,
        r.counters.sagaRetries,
        r.counters.circuitOpen > 0 ? "yes" : "no",
        `${r.counters.shedHttp}/${r.counters.shedGrpc}`,
        stepCallsPerOrder(r),
        r.missed.length === 0 ? "met" : `**missed**: ${r.missed.join("; ")}`,
      ].join(" | ")} |`,
    );
  }
  const notes = rows.filter((r) => r.notes.length > 0).map((r) => `- ${r.fault}: ${r.notes.join("; ")}`);
  return [...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
}

/**
 * Forward-step calls the peers served per order answered in the row: 3.00 when every step ran
 * once; more is work done twice (retries, a saga driven by two replicas), which the steps'
 * idempotency keys make harmless but not free. A process stopped during the row counts up to its
 * last sample (every second), so a restart loses at most a second of its calls.
 */
export function stepCallsPerOrder(r: Pick<Row, "stats" | "counters">): string {
  const answered = r.stats.requests - r.stats.failed;
  return answered > 0 ? (r.counters.stepCalls / answered).toFixed(2) : "-";
}
