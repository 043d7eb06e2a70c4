import type { Database } from "@orderly/kit/db";
import type { Logger } from "@orderly/kit/log";
import type { Metrics } from "@orderly/kit/metrics";
import type { BackgroundTask } from "@orderly/kit/service";
import { createInventoryStore } from "./data/inventory.store.ts";
import type { InventoryDatabase } from "./data/schema.ts";
import { createInventoryUseCases, type InventoryUseCases } from "./domain/inventory-use-cases.ts";
import { ReservationExpiryJob } from "./domain/jobs/reservation-expiry.job.ts";

/** What the transports call: every inventory use case except the expiry sweep, which only the job runs. */
export type InventoryApi = Omit<InventoryUseCases, "expireReservations">;

export interface InventoryAppDeps {
  database: Database<InventoryDatabase>;
  log: Logger;
  metrics: Metrics;
  /** The clock; default the system clock. */
  now?: () => Date;
  settings: {
    reservationTtlMs: number;
    sweepIntervalMs: number;
  };
}

export interface InventoryApp {
  api: InventoryApi;
  /** The reservation expiry sweep: started after the listeners, stopped after they drain. */
  tasks: BackgroundTask[];
}

/** Wires the inventory use cases to their store. No side effects until a task starts. */
export function buildApp(deps: InventoryAppDeps): InventoryApp {
  const now = deps.now ?? (() => new Date());
  const { expireReservations, ...api } = createInventoryUseCases({
    store: createInventoryStore(deps.database.db),
    now,
    reservationTtlMs: deps.settings.reservationTtlMs,
  });

  const expired = deps.metrics.counter(
    "inventory_reservations_expired_total",
    "Reservations the sweep expired, giving their stock back.",
  );
  const job = new ReservationExpiryJob({
    expireReservations,
    intervalMs: deps.settings.sweepIntervalMs,
    now,
    onError: (error) => deps.log.error({ err: error }, "reservation expiry sweep failed"),
    onExpired: (count) => {
      expired.inc(count);
      deps.log.info({ count }, "reservations expired");
    },
  });
  const expiry: BackgroundTask = {
    name: "reservation-expiry",
    start: () => job.start(),
    stop: () => job.stop(),
  };
  return { api, tasks: [expiry] };
}
