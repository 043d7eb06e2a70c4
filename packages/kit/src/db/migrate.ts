import type { Kysely } from "kysely";
import { type MigrationProvider, Migrator } from "kysely/migration";
import type { DbLogger } from "./database.types.ts";
import { KIT_MIGRATION_LOCK_TABLE, KIT_MIGRATION_TABLE, kitMigrations } from "./kit-migrations.ts";
import { migrationsAreCurrent } from "./migrations-current.ts";
import { SqlFileMigrationProvider } from "./sql-file-migration.provider.ts";

/**
 * Kit tables first, then the service's SQL files. Kysely's Migrator takes a PostgreSQL advisory lock
 * and applies pending migrations in one transaction, so concurrent starts apply each migration once.
 * A restart on a current schema costs one query (migrations-current.ts) instead of both Migrators.
 */
export async function migrateDatabase(
  db: Kysely<unknown>,
  migrationsFolder: string | undefined,
  log: DbLogger,
): Promise<void> {
  const service = migrationsFolder === undefined ? undefined : new SqlFileMigrationProvider(migrationsFolder);
  if (await migrationsAreCurrent(db, { kit: kitMigrations, service })) return;
  await runMigrator(
    "kit",
    new Migrator({
      db,
      provider: kitMigrations,
      migrationTableName: KIT_MIGRATION_TABLE,
      migrationLockTableName: KIT_MIGRATION_LOCK_TABLE,
    }),
    log,
  );
  if (service !== undefined) {
    const provider: MigrationProvider = service;
    await runMigrator("service", new Migrator({ db, provider }), log);
  }
}

async function runMigrator(scope: "kit" | "service", migrator: Migrator, log: DbLogger): Promise<void> {
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error === undefined) {
    for (const result of results) {
      if (result.status === "Success")
        log.info({ migration: result.migrationName, scope }, "migration applied");
    }
    return;
  }
  const failed = results.find((r) => r.status === "Error")?.migrationName;
  const what = failed ? `migration "${failed}"` : `${scope} migrations`;
  // The run is one transaction: migrations reported as successful before the failure rolled back too.
  log.error({ err: error, migration: failed, scope }, "migration failed; none of this run was applied");
  throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
