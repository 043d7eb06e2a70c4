import { fileURLToPath } from "node:url";
import { InventoryService } from "@orderly/contracts/inventory";
import { type Service, servedApi, serviceMain } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import type { InventoryDatabase } from "./data/schema.ts";
import { inventoryGrpcHandlers } from "./transport/grpc/inventory.grpc.ts";
import { registerInventoryRoutes } from "./transport/http/inventory.http.ts";

/** Composition root: config -> adapters -> app -> start (kit serviceMain). Returns the running service. */
export const main = serviceMain({
  loadConfig,
  migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url)),
  apiDescription: "Items, stock levels, the stock audit trail and reservations.",
  serves: servedApi({
    grpc: InventoryService,
    grpcHandlers: inventoryGrpcHandlers,
    httpRoutes: registerInventoryRoutes,
  }),
  compose(service: Service<string, InventoryDatabase>, config) {
    const app = buildApp({
      database: service.database,
      log: service.log,
      metrics: service.metrics,
      settings: {
        reservationTtlMs: config.extra.RESERVATION_TTL_SECONDS * 1000,
        sweepIntervalMs: config.extra.RESERVATION_SWEEP_INTERVAL_MS,
      },
    });
    return app;
  },
});

if (import.meta.main) await main(undefined, { handleSignals: true });
