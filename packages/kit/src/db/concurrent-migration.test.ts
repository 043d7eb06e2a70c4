import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import { migrationsFolder, WIDGET_MIGRATIONS } from "./db.test-support.ts";
import { openDatabase } from "./open-database.ts";

// PGlite is one connection in one process, so concurrency is only meaningful on PostgreSQL.
const onPostgres = testDatabaseKinds().includes("postgres");

describe.runIf(onPostgres)("concurrent migration on postgres", { timeout: 60_000 }, () => {
  it("when several instances with their own pools migrate one database at once, then each migration is applied exactly once", async () => {
    const testDb = await createTestDatabase("postgres", "concurrent_migration");
    const migrations = await migrationsFolder(WIDGET_MIGRATIONS);
    const instances = await Promise.all(
      Array.from({ length: 4 }, () =>
        openDatabase({ url: testDb.url, migrationsFolder: migrations.folder, poolSize: 2 }),
      ),
    );
    try {
      const outcomes = await Promise.allSettled(instances.map((instance) => instance.migrate()));
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);

      const db = instances[0]?.db;
      if (!db) throw new Error("no instance");
      const kit = await sql<{ name: string }>`select name from kit_migration order by name`.execute(db);
      const service = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        db,
      );
      expect(kit.rows.map((r) => r.name)).toEqual([
        "0001_kit_outbox",
        "0002_kit_inbox",
        "0003_kit_retention_indexes",
      ]);
      expect(service.rows.map((r) => r.name)).toEqual(["0001_init", "0002_size"]);
      // The seed insert in 0002 ran once: a second run would have added a second row.
      const seeds = await sql<{ n: number }>`select count(*) as n from widgets where name = 'seed'`.execute(
        db,
      );
      expect(seeds.rows[0]?.n).toBe(1);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await testDb.drop();
      await migrations.remove();
    }
  });
});
