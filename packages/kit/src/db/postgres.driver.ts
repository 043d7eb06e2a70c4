import { PostgresDialect } from "kysely";
import type { ClientConfig, CustomTypesConfig } from "pg";
import { withConnectionLossAsUnavailable } from "./connection-loss.ts";
import type { DbLogger } from "./database.types.ts";
import type { DbDriver } from "./db-driver.ts";
import { INT8_ARRAY_OID, INT8_OID, int8Elements, parseInt8 } from "./int8.parser.ts";
import { prepareKnownStatements } from "./named-statements.ts";
import { listenPostgres } from "./pg-listener.ts";
import { pg } from "./pg-module.ts";

export interface PostgresDriverOptions {
  connectionString: string;
  poolSize: number;
  log: DbLogger;
}

// pg-types types the oid as its enum of scalar builtins; array oids are valid at run time.
const defaultParser = pg.types.getTypeParser as (oid: number, format: "text") => (text: string) => unknown;
const parseInt8Array = (text: string) =>
  int8Elements(defaultParser(INT8_ARRAY_OID, "text")(text) as Parameters<typeof int8Elements>[0]);

/**
 * Per-connection type parsers, so this process's other pg users keep pg's global defaults. int8 and
 * int8[] become numbers, as PGlite (configured the same way) returns them.
 */
const typeParsers: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format !== "binary" && oid === INT8_OID) return parseInt8;
    if (format !== "binary" && oid === INT8_ARRAY_OID) return parseInt8Array;
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig["getTypeParser"],
};

export function openPostgresDriver(options: PostgresDriverOptions): DbDriver {
  const { log } = options;
  const clientConfig: ClientConfig = {
    connectionString: options.connectionString,
    types: typeParsers,
    keepAlive: true,
    // A database that does not answer should fail the caller, not hang it forever.
    connectionTimeoutMillis: 10_000,
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that kills the process.
  pool.on("error", (err) => log.warn({ err }, "idle database connection failed; the pool will replace it"));
  // A checked-out client (mid-statement or mid-transaction) emits 'error' on itself, where the pool's
  // idle handler is not attached: without this listener pg_terminate_backend crashes the service.
  // The statement itself fails with the error (UNAVAILABLE, see connection-loss.ts).
  pool.on("connect", (client) => {
    prepareKnownStatements(client);
    client.on("error", (err) =>
      log.warn({ err }, "database connection lost mid-use; the pool will replace it"),
    );
  });
  const unlisteners = new Set<() => Promise<void>>();
  return {
    kind: "postgres",
    dialect: withConnectionLossAsUnavailable(new PostgresDialect({ pool })),
    async listen(channel, onNotify) {
      const unlisten = await listenPostgres(clientConfig, channel, onNotify, log);
      const once = async () => {
        if (!unlisteners.delete(once)) return;
        await unlisten();
      };
      unlisteners.add(once);
      return once;
    },
    async close() {
      await Promise.all([...unlisteners].map((unlisten) => unlisten()));
      // Kysely's destroy skips a pool it never used; end it so later queries fail instead of reconnecting.
      if (!pool.ending && !pool.ended) await pool.end();
    },
  };
}
