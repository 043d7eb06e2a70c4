import { fileURLToPath } from "node:url";
import { InventoryService } from "@orderly/contracts/inventory";
import { serviceMain } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { type InventoryConfig, loadConfig } from "./config.ts";
import type { InventoryDatabase } from "./data/schema.ts";
import { inventoryGrpcHandlers } from "./transport/grpc/inventory.grpc.ts";
import { registerInventoryRoutes } from "./transport/http/inventory.http.ts";

/** Composition root: config -> adapters -> app -> start (kit serviceMain). Returns the running service. */
export const main = serviceMain<string, InventoryDatabase, InventoryConfig>({
  loadConfig,
  migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url)),
  apiDescription: "Items, stock levels, the stock audit trail and reservations.",
  compose(service, config) {
    const app = buildApp({
      database: service.database,
      log: service.log,
      metrics: service.metrics,
      settings: {
        reservationTtlMs: config.extra.RESERVATION_TTL_SECONDS * 1000,
        sweepIntervalMs: config.extra.RESERVATION_SWEEP_INTERVAL_MS,
      },
    });
    service.grpc.add(InventoryService, inventoryGrpcHandlers(app.api));
    registerInventoryRoutes(service.http, app.api);
    return app;
  },
});

if (import.meta.main) await main(undefined, { handleSignals: true });
