import { openDatabase, runSqlScript } from "@orderly/kit/db";

/**
 * What each service's database did, from PostgreSQL's own counters: `pg_stat_database` (commits,
 * rollbacks, rows written) and, when the server preloads it, `pg_stat_statements` (statement calls,
 * i.e. round trips that ran SQL). Read through one admin connection.
 *
 * pg_stat_database is flushed by each backend at most once a second while it is busy (and up to
 * 10 s later once it goes idle), so a snapshot lags the truth by about a second. The bench
 * therefore takes both snapshots *during* a steady load, a few seconds apart, and divides by the
 * orders answered in the same window: the lag is the same at both ends and cancels out.
 */
export interface DbCounters {
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** pg_stat_statements calls in this database; undefined when the extension is not loaded. */
  statements?: number;
}

export type DbSnapshot = Record<string, DbCounters>;

export interface DbCostRow {
  service: string;
  commits: number;
  commitsPerOrder: number;
  rollbacksPerOrder: number;
  insertedPerOrder: number;
  updatedPerOrder: number;
  deletedPerOrder: number;
  statementsPerOrder?: number;
}

/** Per order, per service database and in total, over one measured window. */
export interface DbCost {
  windowSeconds: number;
  /** Orders (2xx/OK answers) completed in the window. */
  orders: number;
  services: DbCostRow[];
  total: Omit<DbCostRow, "service">;
  /** How round trips were counted, or why they were not. */
  statementsNote: string;
}

interface Catalog {
  pg_stat_database: {
    datname: string | null;
    xact_commit: string;
    xact_rollback: string;
    tup_inserted: string;
    tup_updated: string;
    tup_deleted: string;
  };
  pg_database: { oid: number; datname: string };
  pg_stat_statements: { dbid: number; calls: string };
}

type SqlTarget = Parameters<typeof runSqlScript>[0];

export interface StatsReader {
  /** "pg_stat_statements" when statement calls are counted, else why not. */
  readonly statementsNote: string;
  snapshot(): Promise<DbSnapshot>;
  close(): Promise<void>;
}

/**
 * Opens a reader for the given databases (service -> database name) on the server of `adminUrl`.
 * pg_stat_statements needs `shared_preload_libraries = 'pg_stat_statements'` (a server restart);
 * the bench never changes server settings, it uses the extension only when it is already loaded.
 */
export async function openStatsReader(
  adminUrl: string,
  databases: Record<string, string>,
): Promise<StatsReader> {
  const admin = await openDatabase<Catalog>({ url: adminUrl, poolSize: 1 });
  const names = Object.values(databases);
  let statementsNote = "not counted: pg_stat_statements is not in shared_preload_libraries on this server";
  let oids = new Map<string, number>();
  try {
    const preload = await admin.db
      .selectNoFrom((eb) => eb.fn<string>("current_setting", [eb.val("shared_preload_libraries")]).as("v"))
      .executeTakeFirst();
    if ((preload?.v ?? "").includes("pg_stat_statements")) {
      await runSqlScript(
        admin.db as unknown as SqlTarget,
        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
      );
      const rows = await admin.db
        .selectFrom("pg_database")
        .select(["oid", "datname"])
        .where("datname", "in", names)
        .execute();
      oids = new Map(rows.map((r) => [r.datname, Number(r.oid)]));
      statementsNote = "pg_stat_statements calls (every statement a service sent, BEGIN/COMMIT included)";
    }
  } catch (error) {
    statementsNote = `not counted: pg_stat_statements failed (${error instanceof Error ? error.message : String(error)})`;
    oids = new Map();
  }
  const serviceOf = new Map(Object.entries(databases).map(([service, name]) => [name, service]));
  return {
    statementsNote,
    async snapshot() {
      const rows = await admin.db
        .selectFrom("pg_stat_database")
        .select(["datname", "xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted"])
        .where("datname", "in", names)
        .execute();
      const calls = new Map<number, number>();
      if (oids.size > 0) {
        const statementRows = await admin.db
          .selectFrom("pg_stat_statements")
          .select(["dbid", (eb) => eb.fn.sum<string>("calls").as("calls")])
          .where("dbid", "in", [...oids.values()])
          .groupBy("dbid")
          .execute();
        for (const r of statementRows) calls.set(Number(r.dbid), Number(r.calls));
      }
      const out: DbSnapshot = {};
      for (const r of rows) {
        const service = serviceOf.get(r.datname ?? "");
        if (!service) continue;
        const oid = oids.get(r.datname ?? "");
        out[service] = {
          commits: Number(r.xact_commit),
          rollbacks: Number(r.xact_rollback),
          inserted: Number(r.tup_inserted),
          updated: Number(r.tup_updated),
          deleted: Number(r.tup_deleted),
          ...(oid !== undefined ? { statements: calls.get(oid) ?? 0 } : {}),
        };
      }
      return out;
    },
    close: () => admin.close(),
  };
}

const per = (value: number, orders: number, digits = 2) =>
  orders > 0 ? Math.round((value / orders) * 10 ** digits) / 10 ** digits : Number.NaN;

/** Deltas between two snapshots divided by the orders completed between them. */
export function dbCost(
  before: DbSnapshot,
  after: DbSnapshot,
  orders: number,
  windowSeconds: number,
  statementsNote: string,
): DbCost {
  const zero: DbCounters = { commits: 0, rollbacks: 0, inserted: 0, updated: 0, deleted: 0 };
  const sum: DbCounters = { ...zero };
  let statementsTotal: number | undefined;
  const services: DbCostRow[] = Object.keys(after)
    .sort()
    .map((service) => {
      const a = after[service] ?? zero;
      const b = before[service] ?? zero;
      const d = {
        commits: a.commits - b.commits,
        rollbacks: a.rollbacks - b.rollbacks,
        inserted: a.inserted - b.inserted,
        updated: a.updated - b.updated,
        deleted: a.deleted - b.deleted,
      };
      sum.commits += d.commits;
      sum.rollbacks += d.rollbacks;
      sum.inserted += d.inserted;
      sum.updated += d.updated;
      sum.deleted += d.deleted;
      const statements = a.statements !== undefined ? a.statements - (b.statements ?? 0) : undefined;
      if (statements !== undefined) statementsTotal = (statementsTotal ?? 0) + statements;
      return {
        service,
        commits: d.commits,
        commitsPerOrder: per(d.commits, orders),
        rollbacksPerOrder: per(d.rollbacks, orders),
        insertedPerOrder: per(d.inserted, orders),
        updatedPerOrder: per(d.updated, orders),
        deletedPerOrder: per(d.deleted, orders),
        ...(statements !== undefined ? { statementsPerOrder: per(statements, orders) } : {}),
      };
    });
  return {
    windowSeconds: Math.round(windowSeconds * 100) / 100,
    orders,
    services,
    total: {
      commits: sum.commits,
      commitsPerOrder: per(sum.commits, orders),
      rollbacksPerOrder: per(sum.rollbacks, orders),
      insertedPerOrder: per(sum.inserted, orders),
      updatedPerOrder: per(sum.updated, orders),
      deletedPerOrder: per(sum.deleted, orders),
      ...(statementsTotal !== undefined ? { statementsPerOrder: per(statementsTotal, orders) } : {}),
    },
    statementsNote,
  };
}
