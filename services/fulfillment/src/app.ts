import type { OrderService } from "@orderly/contracts/order";
import { type Database, type OutboxMessage, OutboxRelay } from "@orderly/kit/db";
import { type Clock, systemClock } from "@orderly/kit/domain";
import type { Client } from "@orderly/kit/grpc";
import type { Logger } from "@orderly/kit/log";
import type { Metrics } from "@orderly/kit/metrics";
import type { BackgroundTask } from "@orderly/kit/service";
import { KyselyShipmentRepository } from "./data/kysely-shipment.repository.ts";
import { KyselyUnitOfWork } from "./data/kysely-unit-of-work.ts";
import { orderShipmentEventDelivery } from "./data/order-shipment-events.delivery.ts";
import { RandomTrackingNumberGenerator } from "./data/random-tracking-number.generator.ts";
import type { DB } from "./data/schema.ts";
import { SHIPMENT_STATUS_CHANGED_TOPIC } from "./data/shipment-status-changed.payload.ts";
import { Uuidv7IdGenerator } from "./data/uuidv7-id.generator.ts";
import { type FulfillmentApi, makeFulfillmentApi } from "./domain/fulfillment-api.ts";

export interface FulfillmentAppDeps {
  database: Database<DB>;
  /** The order service, where the outbox relay delivers shipment events (without an event bus). */
  order: Pick<Client<typeof OrderService>, "recordShipmentEvent">;
  /** With an event bus: how the relay delivers instead (publishes to NATS JetStream). */
  deliverEvents?: (message: OutboxMessage) => Promise<void>;
  log: Logger;
  metrics: Metrics;
  clock?: Clock;
  settings: {
    relayPollIntervalMs: number;
    relayBatchSize: number;
    relayMaxAttempts: number;
    relayRetryInitialMs: number;
    relayRetryMaxMs: number;
    /** Deadline of one delivery call; sizes the relay's lease on a batch. */
    deliveryDeadlineMs: number;
  };
}

export interface FulfillmentApp {
  api: FulfillmentApi;
  /** The outbox relay: started after the listeners, stopped after they drain. */
  tasks: BackgroundTask[];
}

/** Wires the fulfillment use cases to their adapters. No side effects until a task starts. */
export function buildApp(deps: FulfillmentAppDeps): FulfillmentApp {
  const { database, settings } = deps;
  const api = makeFulfillmentApi({
    shipments: new KyselyShipmentRepository(database.db),
    unitOfWork: new KyselyUnitOfWork(database),
    clock: deps.clock ?? systemClock,
    ids: new Uuidv7IdGenerator(),
    trackingNumbers: new RandomTrackingNumberGenerator(),
  });

  const relay = new OutboxRelay({
    database,
    deliver: deps.deliverEvents ?? orderShipmentEventDelivery(deps.order),
    log: deps.log,
    metrics: { registry: deps.metrics.registry },
    topics: [SHIPMENT_STATUS_CHANGED_TOPIC],
    batchSize: settings.relayBatchSize,
    pollIntervalMs: settings.relayPollIntervalMs,
    maxAttempts: settings.relayMaxAttempts,
    backoff: { initialMs: settings.relayRetryInitialMs, maxMs: settings.relayRetryMaxMs },
    // A leased batch must be delivered before another replica may take it over, even when every call
    // runs into its deadline (an order service that accepts connections but hangs).
    leaseMs: Math.max(60_000, 2 * settings.relayBatchSize * settings.deliveryDeadlineMs),
  });
  const relayTask: BackgroundTask = {
    name: "shipment-event-relay",
    start: () => relay.start(),
    stop: () => relay.stop(),
  };
  return { api, tasks: [relayTask] };
}
