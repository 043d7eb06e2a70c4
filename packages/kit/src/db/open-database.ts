import { Kysely, sql, type Transaction } from "kysely";
import type { Database, DatabaseOptions } from "./database.types.ts";
import { parseDatabaseUrl } from "./database-url.ts";
import type { DbDriver } from "./db-driver.ts";
import { migrateDatabase } from "./migrate.ts";
import { noopLogger } from "./noop-logger.ts";
import { assertChannel } from "./notify-channel.ts";

const DEFAULT_POOL_SIZE = 10;

/**
 * Opens the database named by `options.url`: a pg pool for postgres:// URLs, an embedded PGlite for
 * pglite:<dir> (directory created if missing) or pglite:memory. Nothing is migrated until migrate().
 * int8 comes back as a number and timestamptz as a Date on both drivers.
 *
 * Each driver is imported only when its URL asks for it: a service on PostgreSQL never loads
 * PGlite (its WebAssembly PostgreSQL and bundled extensions), and the embedded default never loads pg.
 */
export async function openDatabase<DB>(options: DatabaseOptions): Promise<Database<DB>> {
  const log = options.log ?? noopLogger;
  const target = parseDatabaseUrl(options.url);
  const driver: DbDriver =
    target.kind === "postgres"
      ? (await import("./postgres.driver.ts")).openPostgresDriver({
          connectionString: target.connectionString,
          poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
          log,
        })
      : await (await import("./pglite.driver.ts")).openPgliteDriver(target.dataDir);
  const db = new Kysely<DB>({ dialect: driver.dialect });
  let closing: Promise<void> | undefined;

  return {
    db,
    kind: driver.kind,
    migrate: () => migrateDatabase(db as Kysely<unknown>, options.migrationsFolder, log),
    transaction: <T>(fn: (trx: Transaction<DB>) => Promise<T>) => db.transaction().execute(fn),
    check: {
      name: "database",
      required: true,
      async check(signal: AbortSignal) {
        await sql`select 1`.execute(db, { signal });
      },
    },
    listen: (channel, onNotify) => driver.listen(channel, onNotify),
    async notify(channel, payload, trx) {
      assertChannel(channel);
      await sql`select pg_notify(${channel}, ${payload})`.execute(trx ?? db);
    },
    close() {
      closing ??= (async () => {
        await db.destroy();
        await driver.close();
      })();
      return closing;
    },
  };
}
