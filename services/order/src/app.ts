import type { FulfillmentService } from "@orderly/contracts/fulfillment";
import type { InventoryService } from "@orderly/contracts/inventory";
import type { InvoiceService } from "@orderly/contracts/invoice";
import { type Database, uuidv7 } from "@orderly/kit/db";
import { type Client, runOutsideCall } from "@orderly/kit/grpc";
import type { Logger } from "@orderly/kit/log";
import type { Metrics } from "@orderly/kit/metrics";
import { type BackgroundTask, intervalTask } from "@orderly/kit/service";
import { FulfillmentAdapter } from "./data/fulfillment.adapter.ts";
import { InventoryAdapter } from "./data/inventory.adapter.ts";
import { InvoiceAdapter } from "./data/invoice.adapter.ts";
import { KyselyOrderStore } from "./data/order.store.ts";
import { OrderChangeFeed } from "./data/order-change-feed.ts";
import type { OrderDatabase } from "./data/schema.ts";
import { cancelOrder } from "./domain/cancel-order.use-case.ts";
import { createOrder } from "./domain/create-order.use-case.ts";
import { getOrder, listOrders } from "./domain/get-order.use-case.ts";
import type { Order } from "./domain/order.ts";
import type { CreateOrderRequest } from "./domain/order-request.ts";
import type { Clock, Page } from "./domain/ports.ts";
import { recordShipmentEvent, type ShipmentEvent } from "./domain/record-shipment-event.use-case.ts";
import { OrderSaga } from "./domain/saga/order-saga.ts";
import { watchOrder } from "./domain/watch-order.use-case.ts";
import { sagaMetrics } from "./saga-metrics.ts";

/** What the transports call: the order use cases with their dependencies bound. */
export interface OrderApi {
  createOrder(
    request: CreateOrderRequest,
    idempotencyKey: string | undefined,
    deadline?: Date,
  ): Promise<Order>;
  getOrder(id: string): Promise<Order>;
  listOrders(query: { customerId: string; pageSize: number; pageToken: string }): Promise<Page<Order>>;
  cancelOrder(id: string, deadline?: Date): Promise<Order>;
  watchOrder(id: string, signal: AbortSignal): AsyncIterable<Order>;
  recordShipmentEvent(event: ShipmentEvent): Promise<{ duplicate: boolean }>;
}

export interface OrderAppDeps {
  database: Database<OrderDatabase>;
  inventory: Client<typeof InventoryService>;
  invoice: Client<typeof InvoiceService>;
  fulfillment: Client<typeof FulfillmentService>;
  log: Logger;
  metrics: Metrics;
  clock?: Clock;
  settings: {
    /** This replica's id; saga leases carry it. */
    owner: string;
    requestBudgetMs: number;
    pollIntervalMs: number;
    leaseMs: number;
    retryInitialMs: number;
    retryMaxMs: number;
  };
}

export interface OrderApp {
  api: OrderApi;
  /** The saga worker and the change feed: started after the listeners, stopped after they drain. */
  tasks: BackgroundTask[];
}

/** Wires the order use cases to their adapters. No side effects until a task starts. */
export function buildApp(deps: OrderAppDeps): OrderApp {
  const { settings, log } = deps;
  const clock: Clock = deps.clock ?? { now: () => new Date() };
  const store = new KyselyOrderStore(deps.database, clock);
  const inventory = new InventoryAdapter(deps.inventory);
  const observer = sagaMetrics(deps.metrics, () => store.countPendingSagas());
  const saga = new OrderSaga({
    store,
    inventory,
    invoice: new InvoiceAdapter(deps.invoice),
    fulfillment: new FulfillmentAdapter(deps.fulfillment),
    clock,
    observer,
    log,
    owner: settings.owner,
    leaseMs: settings.leaseMs,
    backoff: { initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs },
  });
  const changes = new OrderChangeFeed((onChange) => store.watchStatusChanges(onChange));

  // Answer within the caller's deadline (minus a margin to send the answer) and our own budget.
  const until = (deadline: Date | undefined) => {
    const budget = clock.now().getTime() + settings.requestBudgetMs;
    return new Date(deadline ? Math.min(deadline.getTime() - 100, budget) : budget);
  };
  // Detached from the RecordShipmentEvent call, so the relay's short deadline doesn't bound the saga.
  const wake = (orderId: string) => {
    runOutsideCall(() => saga.drive(orderId)).catch((error: unknown) =>
      log.warn({ err: error, orderId }, "saga wake-up failed"),
    );
  };

  const api: OrderApi = {
    createOrder: (request, key, deadline) =>
      createOrder(
        {
          store,
          inventory,
          saga,
          clock,
          newId: uuidv7,
          lease: { owner: settings.owner, leaseMs: settings.leaseMs },
        },
        request,
        key,
        until(deadline),
      ),
    getOrder: (id) => getOrder(store, id),
    listOrders: (query) => listOrders(store, query),
    cancelOrder: (id, deadline) => cancelOrder({ store, saga }, id, until(deadline)),
    watchOrder: (id, signal) => watchOrder({ store, changes }, id, signal),
    recordShipmentEvent: (event) => recordShipmentEvent({ store, clock, observer, wake }, event),
  };

  const worker = intervalTask({
    name: "order-saga-worker",
    intervalMs: settings.pollIntervalMs,
    tick: async () => {
      // Keep going while full batches come back: a backlog drains without waiting a poll each.
      while ((await saga.runDue(20)) === 20) await new Promise(setImmediate);
    },
    onError: (error) => log.error({ err: error }, "saga worker tick failed"),
  });
  const feed: BackgroundTask = {
    name: "order-change-feed",
    start: () => changes.start(),
    stop: () => changes.stop(),
  };
  return { api, tasks: [feed, worker] };
}
