import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { OrderService } from "@orderly/contracts/order";
import { type Env, loadOrExit } from "@orderly/kit/config";
import { connectEventBus, ensureStream, eventStream } from "@orderly/kit/events";
import { Service } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { type FulfillmentPeer, loadConfig } from "./config.ts";
import { migrationsFolder } from "./data/migrations-folder.ts";
import type { DB } from "./data/schema.ts";
import { busShipmentEventDelivery } from "./data/shipment-events.bus-delivery.ts";
import { fulfillmentGrpcHandlers } from "./transport/grpc/fulfillment.grpc.ts";
import { registerShipmentRoutes } from "./transport/http/shipment.http.ts";

/** Composition root: config -> adapters -> app -> start. Returns the running service. */
export async function main(
  env?: Env,
  options: { handleSignals?: boolean } = {},
): Promise<Service<FulfillmentPeer, DB>> {
  const config = loadOrExit(() => loadConfig(env));
  const settings = config.extra;
  const service = await Service.create<FulfillmentPeer, DB>({
    config,
    migrationsFolder: migrationsFolder(),
    openapi: {
      title: "Orderly fulfillment service",
      description: "Shipments: picking, packing, shipping and delivery.",
    },
  });
  const order = service.client(OrderService, "order", {
    defaultDeadlineMs: settings.PEER_DEADLINE_MS,
    // The relay is this client's only caller and backs off per event itself; a breaker on top would
    // only add its open time before deliveries resume once order is back.
    breaker: false,
    // grpc-js waits up to 120 s between reconnects by default; never longer than the relay would.
    channelOptions: {
      "grpc.initial_reconnect_backoff_ms": Math.min(1000, settings.OUTBOX_RETRY_MAX_MS),
      "grpc.max_reconnect_backoff_ms": settings.OUTBOX_RETRY_MAX_MS,
    },
  });
  const bus =
    config.eventBus &&
    (await connectEventBus({
      config: config.eventBus,
      name: `fulfillment-${config.instanceId}`,
      log: service.log,
      registry: service.metrics.registry,
    }));
  if (bus && config.eventBus) await ensureStream(bus.jsm, eventStream("fulfillment"), config.eventBus.stream);
  const app = buildApp({
    database: service.database,
    order,
    ...(bus ? { deliverEvents: busShipmentEventDelivery(bus.js) } : {}),
    log: service.log,
    metrics: service.metrics,
    settings: {
      relayPollIntervalMs: settings.OUTBOX_POLL_INTERVAL_MS,
      relayBatchSize: settings.OUTBOX_BATCH_SIZE,
      relayMaxAttempts: settings.OUTBOX_MAX_ATTEMPTS,
      relayRetryInitialMs: settings.OUTBOX_RETRY_INITIAL_MS,
      relayRetryMaxMs: settings.OUTBOX_RETRY_MAX_MS,
      deliveryDeadlineMs: settings.PEER_DEADLINE_MS,
    },
  });
  service.grpc.add(FulfillmentService, fulfillmentGrpcHandlers(app.api));
  registerShipmentRoutes(service.http, app.api);
  // First added, last stopped: the connection closes after the relay.
  if (bus) service.addBackground(bus.connectionTask);
  for (const task of app.tasks) service.addBackground(task);
  // Before start(), so a SIGTERM during startup still stops gracefully.
  if (options.handleSignals) service.stopOnSignals();
  await service.start();
  return service;
}

if (import.meta.main) await main(undefined, { handleSignals: true });
