import type { Order } from "./order.ts";
import type { OrderRepository } from "./ports/order.repository.port.ts";
import type { OrderChanges } from "./ports/order-changes.port.ts";

/** Safety net for a missed notice: re-read at least this often while waiting. */
const RECHECK_MS = 1000;

/**
 * Waits until the stored order satisfies `done` or `until` passes, then returns it as stored. Used
 * when another request or replica drives the saga: it wakes on the change feed, never polls fast.
 */
export async function awaitOrder(
  deps: { orders: OrderRepository; changes: OrderChanges },
  id: string,
  done: (order: Order) => boolean,
  until: Date,
): Promise<Order | undefined> {
  let wake: (() => void) | undefined;
  // Subscribed before the first read, so a change between the read and the wait is not missed.
  const unsubscribe = deps.changes.subscribe(id, () => wake?.());
  try {
    let order = await deps.orders.findById(id);
    while (order && !done(order)) {
      const left = until.getTime() - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(left, RECHECK_MS)).unref();
      });
      order = await deps.orders.findById(id);
    }
    return order;
  } finally {
    unsubscribe();
  }
}

/** `work`'s result if it settles before `until`, else undefined (the work goes on in the background). */
export async function withinDeadline<T>(work: Promise<T>, until: Date): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, until.getTime() - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
