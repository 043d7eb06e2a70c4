import { openDatabase } from "@orderly/kit/db";
import { sampleProcess } from "../src/lib/processes.ts";
import type { FaultContext } from "./faults/fault.ts";
import { OpenLoad } from "./load/open-load.ts";
import type { OrderClientOptions } from "./load/order-client.ts";
import { rowStats } from "./report/row-stats.ts";
import { SERVICES } from "./stack/chaos-stack.ts";

export interface SoakResult {
  seconds: number;
  rate: number;
  ok: boolean;
  /** MB per minute per process, least squares over the samples after the first third (warm-up). */
  rssSlopeMbPerMin: Record<string, number>;
  p99FirstHalfMs: number;
  p99SecondHalfMs: number;
  failed: number;
  /** kit_outbox + kit_inbox rows per service database at the start and the end. */
  tableRows: Record<string, { start: number; end: number }>;
  lines: string[];
}

interface KitTables {
  kit_outbox: { id: string };
  kit_inbox: { id: string };
}

async function kitRows(url: string): Promise<number> {
  const d = await openDatabase<KitTables>({ url, poolSize: 1 });
  try {
    let total = 0;
    for (const table of ["kit_outbox", "kit_inbox"] as const) {
      const row = await d.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirst()
        .catch(() => undefined);
      total += Number(row?.n ?? 0);
    }
    return total;
  } finally {
    await d.close();
  }
}

export function slopePerMinute(samples: readonly { t: number; mb: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mm = samples.reduce((a, s) => a + s.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.mb - mm);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/** The steady load for `seconds`, sampling each process's RSS every 2 s; goal: slope < 1 MB/min. */
export async function runSoak(
  ctx: FaultContext,
  client: OrderClientOptions,
  options: { rate: number; seconds: number },
): Promise<SoakResult> {
  ctx.log(`  soak ${options.seconds} s at ${options.rate}/s`);
  const urls = ctx.stack.databases.urls;
  const start: Record<string, number> = {};
  for (const s of SERVICES) start[s] = await kitRows(urls[s] as string);
  const samples = new Map<string, { t: number; mb: number }[]>();
  const began = performance.now();
  const timer = setInterval(() => {
    for (const { name, target } of ctx.stack.processes()) {
      const s = sampleProcess(target.pid);
      if (!s) continue;
      const list = samples.get(name) ?? [];
      list.push({ t: performance.now() - began, mb: s.rssBytes / 1024 / 1024 });
      samples.set(name, list);
    }
  }, 2000);
  const load = new OpenLoad(client, { rate: options.rate, maxInFlight: 512 });
  load.start();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  await load.stop();
  clearInterval(timer);
  const half = began + (options.seconds * 1000) / 2;
  const first = rowStats(
    load.records.filter((r) => r.startedAt < half),
    { injectedAt: Infinity, healedAt: Infinity, endedAt: Infinity },
    0,
  );
  const second = rowStats(
    load.records.filter((r) => r.startedAt >= half),
    { injectedAt: Infinity, healedAt: Infinity, endedAt: Infinity },
    0,
  );
  const rssSlopeMbPerMin: Record<string, number> = {};
  for (const [name, list] of samples)
    rssSlopeMbPerMin[name] = Math.round(slopePerMinute(list.slice(Math.floor(list.length / 3))) * 100) / 100;
  const tableRows: Record<string, { start: number; end: number }> = {};
  for (const s of SERVICES) tableRows[s] = { start: start[s] ?? 0, end: await kitRows(urls[s] as string) };
  const failed = load.records.filter((r) => !r.ok).length;
  const ok = Object.values(rssSlopeMbPerMin).every((v) => v < 1) && failed === 0;
  const lines = [
    `RSS slope MB/min ${JSON.stringify(rssSlopeMbPerMin)}`,
    `p99 ${first.p99BeforeMs} ms first half, ${second.p99BeforeMs} ms second half`,
    `${load.records.length} requests, ${failed} failed`,
    `kit_outbox+kit_inbox rows ${JSON.stringify(tableRows)}`,
  ];
  for (const l of lines) ctx.log(`    ${l}`);
  return {
    seconds: options.seconds,
    rate: options.rate,
    ok,
    rssSlopeMbPerMin,
    p99FirstHalfMs: first.p99BeforeMs,
    p99SecondHalfMs: second.p99BeforeMs,
    failed,
    tableRows,
    lines,
  };
}
