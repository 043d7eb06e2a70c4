import type { Page } from "@orderly/kit/domain";
import type { CreateOrderRequest } from "./create-order-request.ts";
import type { Order } from "./order.ts";
import type { CreateOrderOptions } from "./use-cases/create-order.use-case.ts";
import type { ListOrdersQuery } from "./use-cases/list-orders.use-case.ts";
import type { ShipmentEvent } from "./use-cases/record-shipment-event.use-case.ts";

/** What the transports call: the order use cases with their dependencies bound. */
export interface OrderApi {
  createOrder(
    request: CreateOrderRequest,
    idempotencyKey: string | undefined,
    options: { deadline?: Date | undefined; respondAsync?: boolean },
  ): Promise<Order>;
  getOrder(id: string): Promise<Order>;
  listOrders(query: ListOrdersQuery): Promise<Page<Order>>;
  cancelOrder(id: string, deadline?: Date): Promise<Order>;
  watchOrder(id: string, signal: AbortSignal): AsyncIterable<Order>;
  recordShipmentEvent(event: ShipmentEvent): Promise<{ duplicate: boolean }>;
}

export type { CreateOrderOptions };
