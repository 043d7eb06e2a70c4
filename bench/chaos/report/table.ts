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
        r.missed.length === 0 ? "met" : `**missed**: ${r.missed.join("; ")}`,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
