import { isUuid, Violations } from "@orderly/kit/domain";
import type { Order } from "../order.ts";
import { orderNotFound } from "../order-errors.ts";
import type { OrderRepository } from "../ports/order.repository.port.ts";

/** Throws INVALID_ARGUMENT naming `id` unless it is an order id (a UUID), the same on every transport. */
export function assertOrderId(id: string): void {
  const violations = new Violations();
  violations.check("id", isUuid(id) ? undefined : "must be an order id (UUID)");
  violations.throwIfAny();
}

export function makeGetOrder(deps: { orders: OrderRepository }) {
  return async function getOrder(id: string): Promise<Order> {
    assertOrderId(id);
    const order = await deps.orders.findById(id);
    if (!order) throw orderNotFound(id);
    return order;
  };
}
