import { uuidv7 } from "@orderly/kit/db";
import type { Kysely } from "kysely";
import type { InventoryRepositories, UnitOfWork } from "../domain/ports/unit-of-work.port.ts";
import { KyselyItemRepository } from "./item.repository.ts";
import { KyselyReservationRepository } from "./reservation.repository.ts";
import type { InventoryDatabase } from "./schema.ts";
import { KyselyStockAdjustmentRepository } from "./stock-adjustment.repository.ts";
import { retryOnConflict } from "./transaction-retry.ts";

export interface InventoryPersistenceOptions {
  /** Mints entity ids; default UUIDv7. */
  newId?: () => string;
  /** Runs of a transaction that keeps losing races, in all; default 5. */
  maxAttempts?: number;
}

/** The repositories over `db`: the pool (each call on its own) or a transaction. */
export function kyselyRepositories(
  db: Kysely<InventoryDatabase>,
  options: InventoryPersistenceOptions = {},
): InventoryRepositories {
  const newId = options.newId ?? (() => uuidv7());
  return {
    items: new KyselyItemRepository(db),
    reservations: new KyselyReservationRepository(db),
    adjustments: new KyselyStockAdjustmentRepository(db, newId),
  };
}

/** One Kysely transaction over all the inventory's repositories, rerun when it loses a race. */
export class KyselyUnitOfWork implements UnitOfWork {
  readonly #db: Kysely<InventoryDatabase>;
  readonly #options: InventoryPersistenceOptions;
  readonly #retry: { maxAttempts: number; baseDelayMs: number };

  constructor(db: Kysely<InventoryDatabase>, options: InventoryPersistenceOptions = {}) {
    this.#db = db;
    this.#options = options;
    this.#retry = { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 10 };
  }

  transaction<T>(work: (repositories: InventoryRepositories) => Promise<T>): Promise<T> {
    return retryOnConflict(
      () => this.#db.transaction().execute((trx) => work(kyselyRepositories(trx, this.#options))),
      this.#retry,
    );
  }
}
