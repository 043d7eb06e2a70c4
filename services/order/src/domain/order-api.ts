import type { Clock, Page } from "@orderly/kit/domain";
import type { CreateOrderRequest } from "./create-order-request.ts";
import type { Order } from "./order.ts";
import { makeCancelOrder } from "./use-cases/cancel-order.use-case.ts";
import { type CreateOrderDeps, makeCreateOrder } from "./use-cases/create-order.use-case.ts";
import { makeGetOrder } from "./use-cases/get-order.use-case.ts";
import { type ListOrdersQuery, makeListOrders } from "./use-cases/list-orders.use-case.ts";
import {
  makeRecordShipmentEvent,
  type RecordShipmentEventDeps,
  type ShipmentEvent,
} from "./use-cases/record-shipment-event.use-case.ts";
import { makeWatchOrder } from "./use-cases/watch-order.use-case.ts";

/** What the transports call: the order use cases with their dependencies bound. */
export interface OrderApi {
  createOrder(
    request: CreateOrderRequest,
    idempotencyKey: string | undefined,
    options: { deadline?: Date | undefined; respondAsync?: boolean },
  ): Promise<Order>;
  /** `owner`: the customer the caller acts for (undefined: an operator, who sees every order). */
  getOrder(id: string, owner?: string): Promise<Order>;
  listOrders(query: ListOrdersQuery): Promise<Page<Order>>;
  cancelOrder(id: string, deadline?: Date, owner?: string): Promise<Order>;
  watchOrder(id: string, signal: AbortSignal, owner?: string): AsyncIterable<Order>;
  recordShipmentEvent(event: ShipmentEvent): Promise<{ duplicate: boolean }>;
}

/** What the use cases need, plus what the API itself decides request deadlines with. */
export type OrderApiDeps = CreateOrderDeps &
  RecordShipmentEventDeps & {
    /** The wall clock: timestamps and request deadlines (this host's, as gRPC deadlines are). */
    clock: Clock;
    /** How long a request may drive the saga before answering, when its caller sets no earlier deadline. */
    requestBudgetMs: number;
  };

export function makeOrderApi(deps: OrderApiDeps): OrderApi {
  const { clock } = deps;
  // The one place a request's deadline is decided: the caller's (minus a margin to send the
  // answer) or our own budget, whichever comes first.
  const until = (deadline: Date | undefined) => {
    const budget = clock.now().getTime() + deps.requestBudgetMs;
    return new Date(deadline ? Math.min(deadline.getTime() - 100, budget) : budget);
  };
  const createOrder = makeCreateOrder(deps);
  const cancelOrder = makeCancelOrder(deps);
  return {
    createOrder: (request, key, options) =>
      createOrder(request, key, {
        until: until(options.deadline),
        respondAsync: options.respondAsync ?? false,
      }),
    getOrder: makeGetOrder(deps),
    listOrders: makeListOrders(deps),
    cancelOrder: (id, deadline, owner) => cancelOrder(id, until(deadline), owner),
    watchOrder: makeWatchOrder(deps),
    recordShipmentEvent: makeRecordShipmentEvent(deps),
  };
}
