import { type Kysely, sql } from "kysely";

/** Each table of the current schema, as a row count and a digest of every row. */
export type TableSnapshot = Record<string, { rows: number; digest: string }>;

/**
 * What a database holds, compact enough to compare before and after something that must change
 * nothing (a fuzz run, a refused request). Migration bookkeeping is left out.
 */
export async function snapshotTables(db: Kysely<unknown>): Promise<TableSnapshot> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not like 'kysely_migration%'
    order by table_name`.execute(db);
  const snapshot: TableSnapshot = {};
  for (const { name } of tables.rows) {
    const { rows } = await sql<{ rows: number | string; digest: string }>`
      select count(*) as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
      from ${sql.table(name)} t`.execute(db);
    const row = rows[0];
    snapshot[name] = { rows: Number(row?.rows ?? 0), digest: row?.digest ?? "" };
  }
  return snapshot;
}
