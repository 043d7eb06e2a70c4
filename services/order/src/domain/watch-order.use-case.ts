import { getOrder } from "./get-order.use-case.ts";
import { isTerminal, type Order } from "./order.ts";
import type { OrderStore } from "./ports.ts";

/** Fan-out of "order X changed" notices from every replica (LISTEN/NOTIFY underneath). */
export interface OrderChanges {
  subscribe(orderId: string, onChange: () => void): () => void;
}

/** Safety net for a missed notice: re-read at least this often. */
const RECHECK_MS = 2000;

/**
 * The order now, then each status change, ending when the order is terminal or `signal` aborts.
 */
export async function* watchOrder(
  deps: { store: OrderStore; changes: OrderChanges },
  id: string,
  signal: AbortSignal,
): AsyncGenerator<Order> {
  let last = await getOrder(deps.store, id);
  yield last;
  if (isTerminal(last.status)) return;
  let wake: (() => void) | undefined;
  let changed = false;
  const onChange = () => {
    changed = true;
    wake?.();
  };
  const unsubscribe = deps.changes.subscribe(id, onChange);
  signal.addEventListener("abort", onChange, { once: true });
  try {
    while (!signal.aborted) {
      if (!changed) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, RECHECK_MS).unref();
        });
      }
      changed = false;
      if (signal.aborted) return;
      const current = await deps.store.findOrder(id);
      if (!current) return;
      if (current.status !== last.status) {
        last = current;
        yield current;
        if (isTerminal(current.status)) return;
      }
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onChange);
  }
}
