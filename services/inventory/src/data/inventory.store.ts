import { uuidv7 } from "@orderly/kit/db";
import type { Kysely } from "kysely";
import type { InventoryRepositories, InventoryStore } from "../domain/ports/inventory-store.port.ts";
import { KyselyItemRepository } from "./item.repository.ts";
import { KyselyReservationRepository } from "./reservation.repository.ts";
import type { InventoryDatabase } from "./schema.ts";
import { KyselyStockAdjustmentRepository } from "./stock-adjustment.repository.ts";
import { retryOnConflict } from "./transaction-retry.ts";

export interface InventoryStoreOptions {
  /** Mints entity ids; default UUIDv7. */
  newId?: () => string;
  /** Runs of a transaction that keeps losing races, in all; default 5. */
  maxAttempts?: number;
}

/** The InventoryStore port over Kysely (PostgreSQL or PGlite through the kit's database). */
export function createInventoryStore(
  db: Kysely<InventoryDatabase>,
  options: InventoryStoreOptions = {},
): InventoryStore {
  const newId = options.newId ?? (() => uuidv7());
  const repositoriesOn = (executor: Kysely<InventoryDatabase>): InventoryRepositories => ({
    items: new KyselyItemRepository(executor),
    reservations: new KyselyReservationRepository(executor),
    adjustments: new KyselyStockAdjustmentRepository(executor, newId),
  });
  const retry = { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 10 };

  return {
    ...repositoriesOn(db),
    transaction: (work) =>
      retryOnConflict(() => db.transaction().execute((trx) => work(repositoriesOn(trx))), retry),
  };
}
