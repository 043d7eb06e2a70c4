/**
 * SQLSTATEs that mean "this transaction lost a race; the same work may well succeed if run again":
 * serialization_failure, deadlock_detected, and unique_violation (two transactions inserting the
 * same idempotency key: on the rerun the loser finds the winner's row and answers from it).
 */
const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(["40001", "40P01", "23505"]);

export function isRetryableDatabaseError(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const { code } = error as { code: unknown };
  return typeof code === "string" && RETRYABLE_SQLSTATES.has(code);
}

export interface RetryOptions {
  /** Runs of the work in all, including the first. */
  maxAttempts: number;
  /** Upper bound of the first pause; doubles per attempt, with full jitter. */
  baseDelayMs: number;
  random?: () => number;
}

/** Runs `attempt` again while it fails with a retryable database error, up to `maxAttempts` runs. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let run = 1; ; run += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (run >= options.maxAttempts || !isRetryableDatabaseError(error)) throw error;
      // Jitter spreads the losers of one race out so they do not collide again in lockstep.
      const delayMs = Math.floor(random() * options.baseDelayMs * 2 ** (run - 1));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
