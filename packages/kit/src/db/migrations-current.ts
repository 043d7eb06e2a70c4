import { type Kysely, sql } from "kysely";
import { DEFAULT_MIGRATION_TABLE, type MigrationProvider } from "kysely/migration";
import { KIT_MIGRATION_TABLE } from "./kit-migrations.ts";

/**
 * True when both migration tables already list exactly the migrations the providers hold: then
 * there is nothing to apply and the two Migrators (which each create their tables if missing, take
 * the migration lock in a transaction and read the table back: about a dozen round trips) are
 * skipped for this one query. Any doubt answers false and the Migrators run as before: a table
 * that does not exist yet (first start), a pending migration, or a recorded one the folder no longer
 * has (the Migrator then reports it).
 */
export async function migrationsAreCurrent(
  db: Kysely<unknown>,
  providers: { kit: MigrationProvider; service: MigrationProvider | undefined },
): Promise<boolean> {
  const [kit, service] = await Promise.all([
    names(providers.kit),
    providers.service ? names(providers.service) : Promise.resolve([]),
  ]);
  try {
    const { rows } = await sql<{ kit: string[] | null; service: string[] | null }>`
      select
        (select array_agg(name order by name) from ${sql.table(KIT_MIGRATION_TABLE)}) as kit,
        ${
          providers.service
            ? sql`(select array_agg(name order by name) from ${sql.table(DEFAULT_MIGRATION_TABLE)})`
            : sql`null::text[]`
        } as service`.execute(db);
    const row = rows[0];
    return sameNames(row?.kit ?? [], kit) && sameNames(row?.service ?? [], service);
  } catch {
    return false;
  }
}

async function names(provider: MigrationProvider): Promise<string[]> {
  return Object.keys(await provider.getMigrations()).sort();
}

function sameNames(recorded: readonly string[], wanted: readonly string[]): boolean {
  return recorded.length === wanted.length && recorded.every((name, i) => name === wanted[i]);
}
