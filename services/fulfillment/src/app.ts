import type { OrderService } from "@orderly/contracts/order";
import { type Database, OutboxRelay } from "@orderly/kit/db";
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
import { SystemClock } from "./data/system-clock.ts";
import { Uuidv7IdGenerator } from "./data/uuidv7-id.generator.ts";
import type { Clock } from "./domain/ports/clock.port.ts";
import type { Shipment } from "./domain/shipment.entity.ts";
import { AdvanceShipment } from "./domain/use-cases/advance-shipment.use-case.ts";
import { CancelShipment } from "./domain/use-cases/cancel-shipment.use-case.ts";
import { CreateShipment } from "./domain/use-cases/create-shipment.use-case.ts";
import { GetShipment } from "./domain/use-cases/get-shipment.use-case.ts";
import { ListShipments, type ShipmentPage } from "./domain/use-cases/list-shipments.use-case.ts";
import type { CreateShipmentInput } from "./domain/validation/create-shipment.validation.ts";
import type { ListShipmentsInput } from "./domain/validation/list-shipments.validation.ts";

/** What the transports call: the fulfillment use cases with their dependencies bound. */
export interface FulfillmentApi {
  createShipment(input: CreateShipmentInput): Promise<Shipment>;
  getShipment(id: string): Promise<Shipment>;
  listShipments(input: ListShipmentsInput): Promise<ShipmentPage>;
  /** `toStatus` is a status name ("PICKING"); the domain refuses anything else as bad input. */
  advanceShipment(id: string, toStatus: string): Promise<Shipment>;
  cancelShipment(id: string, reason?: string): Promise<Shipment>;
}

export interface FulfillmentAppDeps {
  database: Database<DB>;
  /** The order service, where the outbox relay delivers shipment events. */
  order: Pick<Client<typeof OrderService>, "recordShipmentEvent">;
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
  const changeDeps = {
    unitOfWork: new KyselyUnitOfWork(database),
    clock: deps.clock ?? new SystemClock(),
    ids: new Uuidv7IdGenerator(),
    trackingNumbers: new RandomTrackingNumberGenerator(),
  };
  const shipments = new KyselyShipmentRepository(database.db);
  const create = new CreateShipment({ shipments, clock: changeDeps.clock, ids: changeDeps.ids });
  const advance = new AdvanceShipment(changeDeps);
  const cancel = new CancelShipment(changeDeps);
  const get = new GetShipment({ shipments });
  const list = new ListShipments({ shipments });

  const api: FulfillmentApi = {
    createShipment: (input) => create.execute(input),
    getShipment: (id) => get.execute({ id }),
    listShipments: (input) => list.execute(input),
    advanceShipment: (id, toStatus) => advance.execute({ id, toStatus }),
    cancelShipment: (id, reason) => cancel.execute(reason === undefined ? { id } : { id, reason }),
  };

  const relay = new OutboxRelay({
    database,
    deliver: orderShipmentEventDelivery(deps.order),
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
