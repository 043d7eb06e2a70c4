/**
 * Work that must happen however the run ends (databases dropped, temp folders removed). Each
 * scenario registers its cleanup and runs it in `finally`; run.ts runs whatever is left on SIGINT,
 * SIGTERM or a crash, before exiting.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `fn`; returns a function that runs it once (and unregisters it). */
export function registerCleanup(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  const once = () => {
    pending.delete(once);
    done ??= fn();
    return done;
  };
  pending.add(once);
  return once;
}

/** Runs every registered cleanup, giving up after `timeoutMs`; never throws. */
export async function runPendingCleanups(timeoutMs = 15_000): Promise<void> {
  const all = Promise.allSettled([...pending].map((fn) => fn()));
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}
