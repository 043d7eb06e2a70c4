import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase, runSqlScript } from "@orderly/kit/db";
import { registerCleanup } from "./cleanup.ts";

/** The variable CI sets (and the db suites read) when a PostgreSQL server is available. */
export const DATABASE_URL_VARIABLE = "ORDERLY_TEST_DATABASE_URL";

export function postgresAdminUrl(): string | undefined {
  const url = process.env[DATABASE_URL_VARIABLE]?.trim();
  return url ? url : undefined;
}

export interface BenchDatabases {
  kind: "postgres" | "pglite";
  /** DATABASE_URL per service. */
  urls: Record<string, string>;
  /** The server's version string (PostgreSQL) or the PGlite note. */
  version: string;
  /** Drops every database (ends leftover connections first) or removes the PGlite folders. Idempotent. */
  drop(): Promise<void>;
}

type SqlTarget = Parameters<typeof runSqlScript>[0];

interface PgCatalog {
  pg_stat_activity: { pid: number; datname: string | null };
}

/**
 * One fresh database per service: `orderly_bench_<service>_<random>` on the PostgreSQL server of
 * ORDERLY_TEST_DATABASE_URL when it is set, else PGlite folders in a temp directory (PGlite blocks
 * its event loop on every query, so those numbers say little about production). Dropped by
 * drop(), and by run.ts's cleanup if the run is interrupted.
 */
export async function createDatabases(
  services: readonly string[],
  options: { embedded?: boolean } = {},
): Promise<BenchDatabases> {
  const adminUrl = options.embedded ? undefined : postgresAdminUrl();
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), "orderly-bench-"));
    const drop = registerCleanup(async () => rmSync(dir, { recursive: true, force: true }));
    return {
      kind: "pglite",
      urls: Object.fromEntries(services.map((s) => [s, `pglite:${join(dir, s)}`])),
      version: "PGlite (embedded, event-loop blocking)",
      drop,
    };
  }
  const suffix = randomBytes(4).toString("hex");
  const names = services.map((s) => `orderly_bench_${s.replace(/[^a-z0-9]/g, "_")}_${suffix}`);
  const created: string[] = [];
  const drop = registerCleanup(async () => {
    await withAdmin(adminUrl, async (admin) => {
      for (const name of created) {
        await admin.db
          .selectFrom("pg_stat_activity")
          .select((eb) => eb.fn("pg_terminate_backend", ["pid"]).as("terminated"))
          .where("datname", "=", name)
          .execute();
        await runSqlScript(admin.db as unknown as SqlTarget, `DROP DATABASE IF EXISTS "${name}"`);
      }
    });
  });
  let version = "PostgreSQL";
  try {
    await withAdmin(adminUrl, async (admin) => {
      const row = await admin.db
        .selectNoFrom((eb) => eb.fn<string>("current_setting", [eb.val("server_version")]).as("v"))
        .executeTakeFirst();
      version = `PostgreSQL ${row?.v ?? "?"}`;
      for (const name of names) {
        await runSqlScript(admin.db as unknown as SqlTarget, `CREATE DATABASE "${name}"`);
        created.push(name);
      }
    });
  } catch (error) {
    await drop();
    throw error;
  }
  const urls = Object.fromEntries(
    services.map((s, i) => {
      const url = new URL(adminUrl);
      url.pathname = `/${names[i]}`;
      return [s, url.toString()];
    }),
  );
  return { kind: "postgres", urls, version, drop };
}

async function withAdmin(url: string, work: (admin: Database<PgCatalog>) => Promise<void>): Promise<void> {
  const admin = await openDatabase<PgCatalog>({ url, poolSize: 1 });
  try {
    await work(admin);
  } finally {
    await admin.close();
  }
}
