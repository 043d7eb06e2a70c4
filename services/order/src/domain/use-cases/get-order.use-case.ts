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

/**
 * The order with this id. With `owner` (a customer id), another customer's order is not found
 * either: NOT_FOUND, never "forbidden", so order ids cannot be probed.
 */
export function makeGetOrder(deps: { orders: OrderRepository }) {
  return async function getOrder(id: string, owner?: string): Promise<Order> {
    assertOrderId(id);
    const order = await deps.orders.findById(id);
    if (!order || !ownedBy(order, owner)) throw orderNotFound(id);
    return order;
  };
}

/** Whether `owner` (undefined: anyone, an operator) may see the order. */
export function ownedBy(order: Order, owner: string | undefined): boolean {
  return owner === undefined || order.customerId === owner;
}
