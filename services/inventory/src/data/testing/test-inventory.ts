import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@orderly/kit/db";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { createInventoryUseCases, type InventoryUseCases } from "../../domain/inventory-use-cases.ts";
import type { InventoryStore } from "../../domain/ports/inventory-store.port.ts";
import { createInventoryStore } from "../inventory.store.ts";
import type { InventoryDatabase } from "../schema.ts";

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
  store: InventoryStore;
  clock: TestClock;
  useCases: InventoryUseCases;
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
  const store = createInventoryStore(database.db);
  const clock = new TestClock();
  const useCases = createInventoryUseCases({
    store,
    now: clock.now,
    reservationTtlMs: TEST_RESERVATION_TTL_MS,
  });
  return {
    database,
    store,
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

/** Creates an item and puts `onHand` units of it in stock. */
export async function seedItem(
  useCases: InventoryUseCases,
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
