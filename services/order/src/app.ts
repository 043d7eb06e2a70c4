import type { FulfillmentService } from "@orderly/contracts/fulfillment";
import type { InventoryService } from "@orderly/contracts/inventory";
import type { InvoiceService } from "@orderly/contracts/invoice";
import { type Database, uuidv7 } from "@orderly/kit/db";
import { type Clock, systemClock } from "@orderly/kit/domain";
import { type Client, runOutsideCall } from "@orderly/kit/grpc";
import type { Logger } from "@orderly/kit/log";
import type { Metrics } from "@orderly/kit/metrics";
import { type BackgroundTask, intervalTask } from "@orderly/kit/service";
import { withSpan } from "@orderly/kit/tracing";
import type { Transaction } from "kysely";
import { FulfillmentAdapter } from "./data/fulfillment.adapter.ts";
import { InventoryAdapter } from "./data/inventory.adapter.ts";
import { InvoiceAdapter } from "./data/invoice.adapter.ts";
import { KyselyOrderRepository } from "./data/order.repository.ts";
import { OrderChangeFeed } from "./data/order-change-feed.ts";
import { recordOrderEvent } from "./data/order-events.outbox.ts";
import { ORDER_STATUS_CHANNEL } from "./data/order-status.channel.ts";
import { KyselySagaRepository } from "./data/saga.repository.ts";
import type { OrderDatabase } from "./data/schema.ts";
import { shipmentEventInbox, shipmentEventInboxIn } from "./data/shipment-event.inbox.ts";
import { makeOrderApi, type OrderApi } from "./domain/order-api.ts";
import type { SagaObserver } from "./domain/ports/saga-observer.port.ts";
import { OrderSaga } from "./domain/saga/order-saga.ts";
import {
  makeRecordShipmentEvent,
  type ShipmentEvent,
} from "./domain/use-cases/record-shipment-event.use-case.ts";
import { sagaMetrics } from "./saga-metrics.ts";

export interface OrderAppDeps {
  database: Database<OrderDatabase>;
  inventory: Client<typeof InventoryService>;
  invoice: Client<typeof InvoiceService>;
  fulfillment: Client<typeof FulfillmentService>;
  log: Logger;
  metrics: Metrics;
  /** The wall clock (the system's unless a test pins it). */
  clock?: Clock;
  /** The saga schedule's clock, shared by every replica (main passes the database's); the wall clock when absent. */
  schedule?: Clock;
  /** With an event bus, status changes also record their events for it. */
  publishEvents?: boolean;
  settings: {
    /** This replica's id; saga leases carry it. */
    owner: string;
    requestBudgetMs: number;
    pollIntervalMs: number;
    batchSize: number;
    leaseMs: number;
    retryInitialMs: number;
    retryMaxMs: number;
  };
}

export interface OrderApp {
  api: OrderApi;
  /** RecordShipmentEvent inside a transaction the caller opened and deduplicates (the bus consumer). */
  recordShipmentEventIn: (trx: Transaction<OrderDatabase>) => (event: ShipmentEvent) => Promise<unknown>;
  /** The saga worker and the change feed: started after the listeners, stopped after they drain. */
  tasks: BackgroundTask[];
}

/** Wires the order use cases to their adapters. No side effects until a task starts. */
export function buildApp(deps: OrderAppDeps): OrderApp {
  const { settings, log } = deps;
  const clock = deps.clock ?? systemClock;
  const schedule = deps.schedule ?? clock;
  const orders = new KyselyOrderRepository(deps.database.db);
  const statusEvents = deps.publishEvents ? recordOrderEvent : undefined;
  const sagas = new KyselySagaRepository(deps.database, statusEvents);
  const observer: SagaObserver = {
    ...sagaMetrics(deps.metrics, () => sagas.countUnfinished()),
    inStep: (step, orderId, run) =>
      withSpan(`saga ${step}`, { "orderly.saga.step": step, "orderly.order.id": orderId }, run),
  };
  const saga = new OrderSaga({
    sagas,
    peers: {
      inventory: new InventoryAdapter(deps.inventory),
      invoice: new InvoiceAdapter(deps.invoice),
      fulfillment: new FulfillmentAdapter(deps.fulfillment),
    },
    clock,
    schedule,
    observer,
    log,
    owner: settings.owner,
    leaseMs: settings.leaseMs,
    backoff: { initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs },
  });
  const changes = new OrderChangeFeed((onChange) => deps.database.listen(ORDER_STATUS_CHANNEL, onChange));
  const onBackgroundError = (error: unknown, orderId: string) =>
    log.warn({ err: error, orderId }, "saga run failed; the worker retries it");
  // Detached from the RecordShipmentEvent call, so the relay's short deadline doesn't bound the saga.
  const wake = (orderId: string) => {
    runOutsideCall(() => saga.drive(orderId)).catch((error: unknown) => onBackgroundError(error, orderId));
  };
  const api = makeOrderApi({
    orders,
    inbox: shipmentEventInbox(deps.database, statusEvents),
    changes,
    saga,
    observer,
    clock,
    schedule,
    newId: uuidv7,
    lease: () => ({ owner: settings.owner, until: new Date(schedule.now().getTime() + settings.leaseMs) }),
    requestBudgetMs: settings.requestBudgetMs,
    wake,
    onBackgroundError,
  });

  const worker = intervalTask({
    name: "order-saga-worker",
    intervalMs: settings.pollIntervalMs,
    tick: async () => {
      // Keep going while full batches come back: a backlog drains without waiting a poll each.
      while ((await saga.runDue(settings.batchSize)) === settings.batchSize) await new Promise(setImmediate);
    },
    onError: (error) => log.error({ err: error }, "saga worker tick failed"),
  });
  const feed: BackgroundTask = {
    name: "order-change-feed",
    start: () => changes.start(),
    stop: () => changes.stop(),
  };
  const recordShipmentEventIn = (trx: Transaction<OrderDatabase>) =>
    makeRecordShipmentEvent({
      inbox: shipmentEventInboxIn(trx, statusEvents),
      clock,
      schedule,
      observer,
      wake,
    });
  return { api, recordShipmentEventIn, tasks: [feed, worker] };
}
