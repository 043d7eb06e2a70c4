import { awaitOrder } from "./await-order.ts";
import { type Order, OrderStatus } from "./order.ts";
import { notCancellable, orderNotFound } from "./order-errors.ts";
import type { OrderStore } from "./ports.ts";
import type { OrderSaga } from "./saga/order-saga.ts";
import { cancellable } from "./saga/saga-step.ts";

/**
 * Cancels an order until it ships: the saga undoes what was done (cancel shipment, void invoice,
 * release stock). Idempotent: cancelling a cancelled order returns it.
 */
export async function cancelOrder(
  deps: { store: OrderStore; saga: OrderSaga },
  id: string,
  until: Date,
): Promise<Order> {
  const order = await deps.store.findOrder(id);
  if (!order) throw orderNotFound(id);
  if (order.status === OrderStatus.CANCELLED) return order;
  if (!cancellable(order.status)) throw notCancellable(id, order.status);
  await deps.store.requestCancel(id);
  const driven = (await deps.saga.drive(id, until)) ?? order;
  if (driven.status !== OrderStatus.PENDING && driven.status !== OrderStatus.CONFIRMED) return driven;
  // Another replica holds the saga: wait for it to honour the cancel, within the deadline.
  return (await awaitOrder(deps.store, id, (o) => !cancellable(o.status), until)) ?? driven;
}
