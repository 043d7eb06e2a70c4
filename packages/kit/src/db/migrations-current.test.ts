import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { migrationsFolder, WIDGET_MIGRATIONS } from "./db.test-support.ts";
import { kitMigrations } from "./kit-migrations.ts";
import { migrateDatabase } from "./migrate.ts";
import { migrationsAreCurrent } from "./migrations-current.ts";
import { noopLogger } from "./noop-logger.ts";
import { openDatabase } from "./open-database.ts";
import { SqlFileMigrationProvider } from "./sql-file-migration.provider.ts";

const SLOW = { timeout: 60_000 };

describe.each(testDatabaseKinds())("migrationsAreCurrent on %s", SLOW, (kind) => {
  let testDb: TestDatabase;
  let migrations: Awaited<ReturnType<typeof migrationsFolder>>;
  let database: Database<unknown>;
  const provider = () => new SqlFileMigrationProvider(migrations.folder);

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "migrations_current");
    migrations = await migrationsFolder(WIDGET_MIGRATIONS);
    database = await openDatabase({ url: testDb.url, migrationsFolder: migrations.folder });
  }, SLOW.timeout);

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    await migrations?.remove();
  }, SLOW.timeout);

  it("when the database was never migrated, then the schema is not current and migrate() creates it", async () => {
    const db = database.db as Kysely<unknown>;
    expect(await migrationsAreCurrent(db, { kit: kitMigrations, service: provider() })).toBe(false);
    await database.migrate();
    expect(await migrationsAreCurrent(db, { kit: kitMigrations, service: provider() })).toBe(true);
  });

  it("when the folder gains a migration, then the schema is not current until it is applied", async () => {
    const grown = await migrationsFolder({
      ...WIDGET_MIGRATIONS,
      "0003_gadgets.sql": "create table gadgets (id int);",
    });
    try {
      const db = database.db as Kysely<unknown>;
      const service = new SqlFileMigrationProvider(grown.folder);
      expect(await migrationsAreCurrent(db, { kit: kitMigrations, service })).toBe(false);
      await migrateDatabase(db, grown.folder, noopLogger);
      expect(await migrationsAreCurrent(db, { kit: kitMigrations, service })).toBe(true);
    } finally {
      await grown.remove();
    }
  });

  it("when the database records a migration the folder lacks, then it is not current and migrating still refuses", async () => {
    // 0003_gadgets was applied from another folder (the test before): the original one lacks it.
    const db = database.db as Kysely<unknown>;
    expect(await migrationsAreCurrent(db, { kit: kitMigrations, service: provider() })).toBe(false);
    await expect(database.migrate()).rejects.toThrow(/0003_gadgets/);
  });
});
