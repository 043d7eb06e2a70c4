import { awaitOrder, withinDeadline } from "../await-order.ts";
import { isCancellable, type Order, OrderStatus } from "../order.ts";
import { notCancellable, orderNotFound } from "../order-errors.ts";
import type { OrderRepository } from "../ports/order.repository.port.ts";
import type { OrderChanges } from "../ports/order-changes.port.ts";
import type { OrderSaga } from "../saga/order-saga.ts";
import type { SagaScheduleClock } from "../saga/saga-schedule-clock.ts";
import { assertOrderId, ownedBy } from "./get-order.use-case.ts";

/**
 * Cancels an order until it ships: the saga undoes what was done (cancel shipment, void invoice,
 * release stock). Idempotent: cancelling a cancelled order returns it.
 */
export function makeCancelOrder(deps: {
  orders: OrderRepository;
  changes: OrderChanges;
  saga: OrderSaga;
  /** The saga schedule's clock: a cancel makes the saga due now in it. */
  schedule: SagaScheduleClock;
  onBackgroundError: (error: unknown, orderId: string) => void;
}) {
  return async function cancelOrder(id: string, until: Date, owner?: string): Promise<Order> {
    assertOrderId(id);
    const order = await deps.orders.findById(id);
    if (!order || !ownedBy(order, owner)) throw orderNotFound(id);
    if (order.status === OrderStatus.CANCELLED) return order;
    if (!isCancellable(order.status)) throw notCancellable(id, order.status);
    if (!(await deps.orders.requestCancel(id, deps.schedule.now()))) {
      // It moved on between the read and the request: answer from what it is now.
      const now = await deps.orders.findById(id);
      if (now?.status === OrderStatus.CANCELLED) return now;
      throw notCancellable(id, now?.status ?? order.status);
    }
    const running = deps.saga.drive(id);
    running.catch((error: unknown) => deps.onBackgroundError(error, id));
    const run = await withinDeadline(running, until);
    if (run && !isCancellable(run.order.status)) return run.order;
    // Another replica holds the saga, or the deadline came first: wait for the cancel to be honoured.
    const settled = (o: Order) => !isCancellable(o.status) || !o.cancelRequested;
    return (await awaitOrder(deps, id, settled, until)) ?? order;
  };
}
