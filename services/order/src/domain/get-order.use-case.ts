import { validationError } from "@orderly/kit/errors";
import type { Order } from "./order.ts";
import { orderNotFound } from "./order-errors.ts";
import type { OrderStore, Page } from "./ports.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertOrderId(id: string): void {
  if (!UUID.test(id)) throw validationError({ field: "id", description: "must be an order id (UUID)" });
}

export async function getOrder(store: OrderStore, id: string): Promise<Order> {
  assertOrderId(id);
  const order = await store.findOrder(id);
  if (!order) throw orderNotFound(id);
  return order;
}

/** Newest first; page_size 1..100, 0 means 50. */
export async function listOrders(
  store: OrderStore,
  query: { customerId: string; pageSize: number; pageToken: string },
): Promise<Page<Order>> {
  if (query.customerId.trim() === "")
    throw validationError({ field: "customer_id", description: "is required" });
  if (!Number.isInteger(query.pageSize) || query.pageSize < 0 || query.pageSize > 100) {
    throw validationError({ field: "page_size", description: "must be from 0 to 100 (0 means 50)" });
  }
  return store.listOrders(query.customerId, query.pageSize || 50, query.pageToken || undefined);
}
