import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@orderly/kit/db";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type InventoryApi, makeInventoryApi } from "../../domain/inventory-api.ts";
import type { InventoryRepositories, UnitOfWork } from "../../domain/ports/unit-of-work.port.ts";
import {
  type ExpireReservations,
  makeExpireReservations,
} from "../../domain/use-cases/expire-reservations.use-case.ts";
import type { InventoryDatabase } from "../schema.ts";
import { KyselyUnitOfWork, kyselyRepositories } from "../unit-of-work.ts";

const MIGRATIONS = fileURLToPath(new URL("../../../migrations", import.meta.url));

export const TEST_RESERVATION_TTL_MS = 15 * 60_000;

/**
 * Explicit limits for the database suites: a package project does not inherit the root vitest
 * config's timeouts, and a fresh PGlite (copy, open, migrate) can take seconds on a loaded machine.
 */
export const DB_SUITE = { timeout: 60_000 } as const;
export const DB_HOOK_TIMEOUT_MS = 120_000;

/** A clock the test moves by hand. */
export class TestClock {
  #now: number;

  constructor(start = "2026-03-01T09:00:00.000Z") {
    this.#now = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.#now);

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A migrated inventory database of one kind, with the use cases wired to it and a clock to move. */
export interface TestInventory {
  database: Database<InventoryDatabase>;
  /** The repositories outside any transaction, for reading what a test did. */
  repositories: InventoryRepositories;
  unitOfWork: UnitOfWork;
  clock: TestClock;
  useCases: InventoryTestUseCases;
  /** Empties every table, for a clean slate per test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openTestInventory(kind: TestDatabaseKind, label: string): Promise<TestInventory> {
  const testDatabase = await createTestDatabase(kind, `inventory_${label}`);
  // More connections than the pool default so the concurrency suites really contend on PostgreSQL.
  const database = await openDatabase<InventoryDatabase>({
    url: testDatabase.url,
    migrationsFolder: MIGRATIONS,
    poolSize: 20,
  });
  await database.migrate();
  const clock = new TestClock();
  const { repositories, unitOfWork, useCases } = inventoryUseCasesOver(database.db, clock);
  return {
    database,
    repositories,
    unitOfWork,
    clock,
    useCases,
    async reset() {
      // DELETE beats TRUNCATE on tables this small (no file rewrite, no fsync per table).
      for (const table of ["reservation_lines", "reservations", "stock_adjustments", "items"] as const) {
        await database.db.deleteFrom(table).execute();
      }
    },
    async close() {
      await database.close();
      await testDatabase.drop();
    },
  };
}

/**
 * The inventory of the suite around the call: opened before its tests, closed after them, and
 * emptied (then `seed`ed) before each. Call it inside `describe`; what it returns reads through to
 * the open inventory, so use it from hooks and tests only.
 */
export function inventoryForSuite(
  kind: TestDatabaseKind,
  label: string,
  seed?: (inventory: TestInventory) => Promise<void>,
): TestInventory {
  let opened: TestInventory | undefined;
  const current = (): TestInventory => {
    if (opened === undefined) throw new Error("the suite's inventory is read outside its hooks and tests");
    return opened;
  };
  beforeAll(async () => {
    opened = await openTestInventory(kind, label);
  }, DB_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await opened?.close();
  }, DB_HOOK_TIMEOUT_MS);
  beforeEach(async () => {
    await current().reset();
    await seed?.(current());
  }, DB_HOOK_TIMEOUT_MS);
  return {
    get database() {
      return current().database;
    },
    get repositories() {
      return current().repositories;
    },
    get unitOfWork() {
      return current().unitOfWork;
    },
    get clock() {
      return current().clock;
    },
    get useCases() {
      return current().useCases;
    },
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** The API plus the expiry sweep, which the service runs from a job. */
export type InventoryTestUseCases = InventoryApi & { expireReservations: ExpireReservations };

/** The use cases over `db` (the test database, or a wrapper of it) and the test clock. */
export function inventoryUseCasesOver(
  db: Kysely<InventoryDatabase>,
  clock: TestClock,
): { repositories: InventoryRepositories; unitOfWork: UnitOfWork; useCases: InventoryTestUseCases } {
  const repositories = kyselyRepositories(db);
  const unitOfWork = new KyselyUnitOfWork(db);
  const api = makeInventoryApi({
    ...repositories,
    unitOfWork,
    clock,
    reservationTtlMs: TEST_RESERVATION_TTL_MS,
  });
  const expireReservations = makeExpireReservations({ reservations: repositories.reservations, unitOfWork });
  return { repositories, unitOfWork, useCases: { ...api, expireReservations } };
}

/** Creates an item and puts `onHand` units of it in stock. */
export async function seedItem(
  useCases: InventoryApi,
  sku: string,
  onHand: number,
  price = { amountMinor: 1250, currencyCode: "EUR" },
): Promise<void> {
  await useCases.upsertItem({ sku, name: `Item ${sku}`, unitPrice: price });
  if (onHand > 0) {
    await useCases.adjustStock({
      sku,
      delta: onHand,
      reason: "initial stock",
      adjustmentId: `seed-${sku}-${randomUUID()}`,
    });
  }
}
