import { fileURLToPath } from "node:url";
import { InventoryService } from "@orderly/contracts/inventory";
import { type Env, loadOrExit } from "@orderly/kit/config";
import { Service } from "@orderly/kit/service";
import { buildApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import type { InventoryDatabase } from "./data/schema.ts";
import { inventoryGrpcHandlers } from "./transport/grpc/inventory.grpc.ts";
import { registerInventoryRoutes } from "./transport/http/inventory.http.ts";

/** Composition root: config -> adapters -> app -> start. Returns the running service. */
export async function main(
  env?: Env,
  options: { handleSignals?: boolean } = {},
): Promise<Service<string, InventoryDatabase>> {
  const config = loadOrExit(() => loadConfig(env));
  const settings = config.extra;
  const service = await Service.create<string, InventoryDatabase>({
    config,
    migrationsFolder: fileURLToPath(new URL("../migrations", import.meta.url)),
    openapi: {
      title: "Orderly inventory service",
      description: "Items, stock levels, the stock audit trail and reservations.",
    },
  });
  const app = buildApp({
    database: service.database,
    log: service.log,
    metrics: service.metrics,
    settings: {
      reservationTtlMs: settings.RESERVATION_TTL_SECONDS * 1000,
      sweepIntervalMs: settings.RESERVATION_SWEEP_INTERVAL_MS,
    },
  });
  service.grpc.add(InventoryService, inventoryGrpcHandlers(app.api));
  registerInventoryRoutes(service.http, app.api);
  for (const task of app.tasks) service.addBackground(task);
  // Before start(), so a SIGTERM during startup still stops gracefully.
  if (options.handleSignals) service.stopOnSignals();
  await service.start();
  return service;
}

if (import.meta.main) await main(undefined, { handleSignals: true });
