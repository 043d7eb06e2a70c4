import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { OrderService } from "@orderly/contracts/order";
import { ensureStream, eventStream } from "@orderly/kit/events";
import { connectServiceEventBus, type Service, servedApi, serviceMain } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { type FulfillmentPeer, loadConfig } from "./config.ts";
import { migrationsFolder } from "./data/migrations-folder.ts";
import type { DB } from "./data/schema.ts";
import { busShipmentEventDelivery } from "./data/shipment-events.bus-delivery.ts";
import { fulfillmentGrpcHandlers } from "./transport/grpc/fulfillment.grpc.ts";
import { registerShipmentRoutes } from "./transport/http/shipment.http.ts";

/** Composition root: config -> adapters -> app -> start (kit serviceMain). Returns the running service. */
export const main = serviceMain({
  loadConfig,
  migrationsFolder: migrationsFolder(),
  apiDescription: "Shipments: picking, packing, shipping and delivery.",
  serves: servedApi({
    grpc: FulfillmentService,
    grpcHandlers: fulfillmentGrpcHandlers,
    httpRoutes: registerShipmentRoutes,
  }),
  async compose(service: Service<FulfillmentPeer, DB>, config) {
    const settings = config.extra;
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
    // Added first, stopped last: the bus connection closes after the relay (one of app.tasks).
    const bus = config.eventBus && (await connectServiceEventBus(service, config.eventBus));
    if (bus && config.eventBus)
      await ensureStream(bus.jsm, eventStream("fulfillment"), config.eventBus.stream);
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
    return app;
  },
});

if (import.meta.main) await main(undefined, { handleSignals: true });
