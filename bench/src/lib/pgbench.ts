import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { openDatabase, runSqlScript } from "@orderly/kit/db";
import { registerCleanup } from "./cleanup.ts";
import type { PgbenchResult } from "./result.ts";

const run = promisify(execFile);
export const PGBENCH_DATABASE = "orderly_pgbench";

/** `tps = 6123.456789 (without initial connection time)` from pgbench's summary. */
export function parsePgbenchTps(output: string): number {
  const m = /tps = ([0-9.]+) \(without initial connection time\)/.exec(output);
  return m ? Number(m[1]) : Number.NaN;
}

interface Catalog {
  pg_stat_activity: { pid: number; datname: string | null };
}

async function recreate(adminUrl: string, create: boolean): Promise<void> {
  const admin = await openDatabase<Catalog>({ url: adminUrl, poolSize: 1 });
  try {
    await admin.db
      .selectFrom("pg_stat_activity")
      .select((eb) => eb.fn("pg_terminate_backend", ["pid"]).as("terminated"))
      .where("datname", "=", PGBENCH_DATABASE)
      .execute();
    const sql = admin.db as unknown as Parameters<typeof runSqlScript>[0];
    await runSqlScript(sql, `DROP DATABASE IF EXISTS "${PGBENCH_DATABASE}"`);
    if (create) await runSqlScript(sql, `CREATE DATABASE "${PGBENCH_DATABASE}"`);
  } finally {
    await admin.close();
  }
}

/**
 * The database's own limit for small write transactions on this machine, measured in the same run
 * as the orders: `pgbench -i -s 1` into a database of its own, then `pgbench -N` (the TPC-B-like
 * script without the branch/teller updates that serialize), dropped afterwards.
 */
export async function runPgbench(
  adminUrl: string,
  plan: { clients: number; threads: number; seconds: number },
  log: (line: string) => void,
): Promise<PgbenchResult> {
  const command = `pgbench -N -c ${plan.clients} -j ${plan.threads} -T ${plan.seconds} (after pgbench -i -s 1)`;
  const url = new URL(adminUrl);
  url.pathname = `/${PGBENCH_DATABASE}`;
  const drop = registerCleanup(() => recreate(adminUrl, false));
  try {
    await recreate(adminUrl, true);
    await run("pgbench", ["-i", "-s", "1", "-q", url.toString()], { timeout: 120_000 });
    const { stdout } = await run(
      "pgbench",
      [
        "-N",
        "-c",
        String(plan.clients),
        "-j",
        String(plan.threads),
        "-T",
        String(plan.seconds),
        url.toString(),
      ],
      { timeout: (plan.seconds + 60) * 1000 },
    );
    const tps = parsePgbenchTps(stdout);
    log(`  pgbench: ${Number.isFinite(tps) ? tps.toFixed(0) : "?"} tps`);
    return Number.isFinite(tps)
      ? { command, tps }
      : { command, tps, skipped: "no tps line in pgbench's output" };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    log(`  pgbench failed: ${message}`);
    return { command, tps: Number.NaN, skipped: `pgbench failed: ${message}` };
  } finally {
    await drop().catch(() => undefined);
  }
}
