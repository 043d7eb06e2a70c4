import type { Database } from "@orderly/kit/db";
import { type Clock, systemClock } from "@orderly/kit/domain";
import type { Logger } from "@orderly/kit/log";
import type { Metrics } from "@orderly/kit/metrics";
import type { BackgroundTask } from "@orderly/kit/service";
import type { InventoryDatabase } from "./data/schema.ts";
import { KyselyUnitOfWork, kyselyRepositories } from "./data/unit-of-work.ts";
import { type InventoryApi, makeInventoryApi } from "./domain/inventory-api.ts";
import { ReservationExpiryJob } from "./domain/jobs/reservation-expiry.job.ts";
import { makeExpireReservations } from "./domain/use-cases/expire-reservations.use-case.ts";

export interface InventoryAppDeps {
  database: Database<InventoryDatabase>;
  log: Logger;
  metrics: Metrics;
  /** The clock; default the system clock. */
  clock?: Clock;
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

/** Binds the inventory use cases to the database's adapters. No side effects until a task starts. */
export function buildApp(deps: InventoryAppDeps): InventoryApp {
  const clock = deps.clock ?? systemClock;
  const repositories = kyselyRepositories(deps.database.db);
  const unitOfWork = new KyselyUnitOfWork(deps.database.db);
  const api = makeInventoryApi({
    ...repositories,
    unitOfWork,
    clock,
    reservationTtlMs: deps.settings.reservationTtlMs,
  });
  const expireReservations = makeExpireReservations({ reservations: repositories.reservations, unitOfWork });

  const expired = deps.metrics.counter(
    "inventory_reservations_expired_total",
    "Reservations the sweep expired, giving their stock back.",
  );
  const job = new ReservationExpiryJob({
    expireReservations,
    intervalMs: deps.settings.sweepIntervalMs,
    now: () => clock.now(),
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
