import { isTerminal, type Order } from "../order.ts";
import type { OrderRepository } from "../ports/order.repository.port.ts";
import type { OrderChanges } from "../ports/order-changes.port.ts";
import { makeGetOrder } from "./get-order.use-case.ts";

/** Safety net for a missed notice: re-read at least this often. */
const RECHECK_MS = 2000;

/**
 * The order now, then each status change, ending when the order is terminal or `signal` aborts.
 * With `owner`, another customer's order is NOT_FOUND (see getOrder).
 */
export function makeWatchOrder(deps: { orders: OrderRepository; changes: OrderChanges }) {
  const getOrder = makeGetOrder(deps);
  return async function* watchOrder(id: string, signal: AbortSignal, owner?: string): AsyncGenerator<Order> {
    let last = await getOrder(id, owner);
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
        const current = await deps.orders.findById(id);
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
  };
}
