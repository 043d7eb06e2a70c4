import { type Kysely, sql } from "kysely";

/**
 * Marks a query as a multi-statement script. pg already runs parameterless text through the simple
 * query protocol (several statements allowed); PGlite's `query` is always a prepared statement, so
 * the PGlite adapter routes marked text to `exec` instead.
 */
export const SQL_SCRIPT_MARKER = "/* orderly:sql-script */\n";

/** Runs a whole SQL file's text (several statements) on the given connection or transaction. */
export async function runSqlScript(db: Kysely<unknown>, text: string): Promise<void> {
  await sql.raw(SQL_SCRIPT_MARKER + text).execute(db);
}
