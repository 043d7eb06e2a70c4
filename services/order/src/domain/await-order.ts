import type { Order } from "./order.ts";
import type { OrderStore } from "./ports.ts";

const POLL_MS = 25;

/**
 * Waits until the stored order satisfies `done` or `until` passes, then returns it as stored. Used
 * when another request or replica is driving the order's saga.
 */
export async function awaitOrder(
  store: OrderStore,
  id: string,
  done: (order: Order) => boolean,
  until: Date,
): Promise<Order | undefined> {
  let order = await store.findOrder(id);
  while (order && !done(order) && Date.now() + POLL_MS < until.getTime()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    order = await store.findOrder(id);
  }
  return order;
}
