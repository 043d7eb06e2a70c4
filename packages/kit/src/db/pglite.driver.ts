import { mkdir } from "node:fs/promises";
import { PGlite, type Transaction as PGliteTx, types } from "@electric-sql/pglite";
import {
  type PGlite as KyselyPGlite,
  PGliteDialect,
  type PGliteQueryOptions,
  type PGliteQueryResults,
} from "kysely";
import type { DbDriver } from "./db-driver.ts";
import { parseInt8 } from "./int8.parser.ts";
import { quoteChannel } from "./notify-channel.ts";
import { PglitePreparedStatements } from "./pglite-prepared-statements.ts";
import { SQL_SCRIPT_MARKER } from "./sql-script.ts";

/** Opens (creating if needed) an embedded PGlite database; `dataDir` undefined means in memory. */
export async function openPgliteDriver(dataDir: string | undefined): Promise<DbDriver> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir ?? "memory://", {
    parsers: { [types.INT8]: parseInt8 },
  });
  await pglite.waitReady;
  return {
    kind: "pglite",
    dialect: new PGliteDialect({ pglite: kyselyView(pglite) }),
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(quoteChannel(channel), onNotify);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Where a statement runs: on the database itself or inside one of its transactions. */
interface Target {
  readonly plain: Pick<PGlite, "query" | "exec"> | PGliteTx;
  /** Runs `fn` holding the PGlite mutexes its own `query` would take in this place. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * The PGlite instance as Kysely sees it: DML runs as prepared statements, marked multi-statement
 * scripts go to `exec`, anything else to PGlite's own `query`.
 */
function kyselyView(pglite: PGlite): KyselyPGlite {
  const statements = new PglitePreparedStatements(pglite);
  const outside: Target = {
    plain: pglite,
    exclusive: (fn) =>
      pglite._runExclusiveTransaction(() =>
        pglite._runExclusiveQuery(async () => {
          await pglite._checkReady();
          return fn();
        }),
      ),
  };
  return {
    get closed() {
      return pglite.closed;
    },
    get ready() {
      return pglite.ready;
    },
    get waitReady() {
      return pglite.waitReady;
    },
    close: () => pglite.close(),
    query: (text, params, options) => routeQuery(statements, outside, text, params, options),
    transaction: (callback) =>
      pglite.transaction((tx: PGliteTx) => {
        // The transaction mutex is already ours; a statement needs only the query mutex.
        const inside: Target = { plain: tx, exclusive: (fn) => pglite._runExclusiveQuery(fn) };
        return callback({
          query: (text, params, options) => routeQuery(statements, inside, text, params, options),
          rollback: () => tx.rollback(),
        });
      }),
  };
}

async function routeQuery<T>(
  statements: PglitePreparedStatements,
  target: Target,
  text: string,
  params: unknown[] | undefined,
  options: PGliteQueryOptions | undefined,
): Promise<PGliteQueryResults<T>> {
  if (text.startsWith(SQL_SCRIPT_MARKER)) {
    const results = await target.plain.exec(text, options);
    statements.forgetAll();
    const last = results.at(-1);
    return { rows: (last?.rows ?? []) as T[], fields: last?.fields ?? [] };
  }
  if (PglitePreparedStatements.preparable(text)) {
    return target.exclusive(() => statements.query<T>(text, params, options));
  }
  const result = await target.plain.query<T>(text, params, options);
  if (PglitePreparedStatements.changesSchema(text)) statements.forgetAll();
  return result;
}
