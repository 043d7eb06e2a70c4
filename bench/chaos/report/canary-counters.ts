/**
 * What the order replicas' /metrics say about a peer's canary: attempts sent to it
 * (`orderly_rpc_client_canary_calls_total`) and attempts it failed (`…_canary_errors_total`).
 */
export interface CanaryCounters {
  calls: number;
  errors: number;
}

const LINE = /^orderly_rpc_client_canary_(calls|errors)_total\{([^}]*)\} ([0-9.eE+-]+)$/;

export function parseCanaryCounters(text: string, peer: string): CanaryCounters {
  const out: CanaryCounters = { calls: 0, errors: 0 };
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m || !(m[2] as string).split(",").includes(`peer="${peer}"`)) continue;
    out[m[1] as "calls" | "errors"] += Number(m[3]);
  }
  return out;
}

export interface RollbackRule {
  /** Error rate (errors / calls since the watch began) above which the canary is rolled back. */
  maxErrorRate: number;
  /** Attempts needed before the rate is trusted (one failed call of one is not a rate). */
  minCalls: number;
}

/** Whether the canary's attempts since `since` warrant a rollback, with the rate in words. */
export function canaryVerdict(
  since: CanaryCounters,
  now: CanaryCounters,
  rule: RollbackRule,
): { rollBack: boolean; calls: number; errors: number; rate: number } {
  const calls = now.calls - since.calls;
  const errors = now.errors - since.errors;
  const rate = calls > 0 ? errors / calls : 0;
  return { rollBack: calls >= rule.minCalls && rate > rule.maxErrorRate, calls, errors, rate };
}
