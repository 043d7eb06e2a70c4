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
    dialect: new PGliteDialect({ pglite: scriptAware(pglite) }),
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

type Queryable = Pick<PGlite, "query" | "exec">;

/** The PGlite instance as Kysely sees it, with marked multi-statement scripts sent to `exec`. */
function scriptAware(pglite: PGlite): KyselyPGlite {
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
    query: (text, params, options) => routeQuery(pglite, text, params, options),
    transaction: (callback) =>
      pglite.transaction((tx: PGliteTx) =>
        callback({
          query: (text, params, options) => routeQuery(tx, text, params, options),
          rollback: () => tx.rollback(),
        }),
      ),
  };
}

async function routeQuery<T>(
  target: Queryable,
  text: string,
  params: unknown[] | undefined,
  options: PGliteQueryOptions | undefined,
): Promise<PGliteQueryResults<T>> {
  if (!text.startsWith(SQL_SCRIPT_MARKER)) return target.query<T>(text, params, options);
  const results = await target.exec(text, options);
  const last = results.at(-1);
  return { rows: (last?.rows ?? []) as T[], fields: last?.fields ?? [] };
}
