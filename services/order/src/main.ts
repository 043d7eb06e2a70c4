import { fileURLToPath } from "node:url";
import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { InventoryService } from "@orderly/contracts/inventory";
import { InvoiceService } from "@orderly/contracts/invoice";
import { OrderService } from "@orderly/contracts/order";
import { databaseClock } from "@orderly/kit/db";
import { offsetClock } from "@orderly/kit/domain";
import { connectServiceEventBus, type Service, servedApi, serviceMain } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { loadConfig, type OrderPeer } from "./config.ts";
import { ORDER_EVENTS } from "./data/order-events.outbox.ts";
import type { OrderDatabase } from "./data/schema.ts";
import { shipmentEventsHandler } from "./transport/events/shipment-events.handler.ts";
import { orderGrpcHandlers } from "./transport/grpc/order.grpc.ts";
import { registerOrderRoutes } from "./transport/http/order.http.ts";

/** Composition root: config -> adapters -> app -> start (kit serviceMain). Returns the running service. */
export const main = serviceMain({
  loadConfig,
  migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url)),
  apiDescription: "Orders and the order saga.",
  serves: servedApi({ grpc: OrderService, grpcHandlers: orderGrpcHandlers, httpRoutes: registerOrderRoutes }),
  // Customers call this port too (bearer token, no certificate); RecordShipmentEvent's allowlist
  // still needs fulfillment's certificate.
  clientCertificate: "optional",
  async compose(service: Service<OrderPeer, OrderDatabase>, config) {
    const settings = config.extra;
    const peerOptions = { defaultDeadlineMs: settings.PEER_DEADLINE_MS };
    const bus = config.eventBus && (await connectServiceEventBus(service, config.eventBus));
    const app = buildApp({
      database: service.database,
      inventory: service.client(InventoryService, "inventory", peerOptions),
      invoice: service.client(InvoiceService, "invoice", peerOptions),
      fulfillment: service.client(FulfillmentService, "fulfillment", peerOptions),
      log: service.log,
      metrics: service.metrics,
      clock: offsetClock(settings.ORDERLY_CLOCK_OFFSET_MS),
      // Leases and retry times are compared across replicas: kept in the database's clock, so a
      // host whose wall clock jumps (ORDERLY_CLOCK_OFFSET_MS simulates one) neither steals
      // others' sagas nor parks its own out of reach.
      schedule: await databaseClock(service.database),
      publishEvents: bus !== undefined,
      settings: {
        owner: config.instanceId,
        requestBudgetMs: settings.ORDER_REQUEST_BUDGET_MS,
        pollIntervalMs: settings.SAGA_POLL_INTERVAL_MS,
        batchSize: settings.SAGA_BATCH_SIZE,
        leaseMs: settings.SAGA_LEASE_MS,
        retryInitialMs: settings.SAGA_RETRY_INITIAL_MS,
        retryMaxMs: settings.SAGA_RETRY_MAX_MS,
      },
    });
    if (bus) {
      // After the bus connection (added when it connected): stopped before it closes.
      service.addBackground(bus.relay({ database: service.database, source: "order", events: ORDER_EVENTS }));
      service.addBackground(
        bus.consumer({
          database: service.database,
          consumer: "order",
          source: "fulfillment",
          // The gRPC push's inbox key: an event delivered both ways applies once.
          inboxSource: () => "fulfillment",
          handle: shipmentEventsHandler(app.recordShipmentEventIn),
        }),
      );
    }
    return app;
  },
});

if (import.meta.main) await main(undefined, { handleSignals: true });
