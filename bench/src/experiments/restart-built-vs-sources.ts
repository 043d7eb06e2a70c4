/**
 * Diagnosis only (never run by pnpm bench): inventory restarted from its TypeScript sources
 * (`--import @orderly/kit/tracing/register src/main.ts`, as before `pnpm build`) and from the bundle
 * (`--import ./dist/register.mjs dist/main.mjs`, the image's CMD), alternating within every round
 * with bare fastify and bare grpc-js, on one migrated PostgreSQL database, compile caches warm.
 * Prints per-round ready ms, CPU ms to ready (the kit's `startupCpuMs`; /proc for the bare targets)
 * and RSS 1 s after ready, then medians. More built folders (another build copied beside dist/,
 * e.g. dist-min/) can be named after the rounds: each becomes a side of its own.
 *
 *   (cd .. && pnpm build inventory) && ORDERLY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     node src/experiments/restart-built-vs-sources.ts [rounds=6] [built folder...]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabases } from "../lib/databases.ts";
import { round, sampleProcess, sleep, spawnTarget, type Target } from "../lib/processes.ts";
import {
  BENCH_DIR,
  baseEnv,
  serviceDir,
  serviceEnv,
  TELEMETRY_ENTRY,
  targetScript,
} from "../lib/target-env.ts";

const rounds = Number(process.argv[2] ?? 6);
const builtFolders = process.argv.length > 3 ? process.argv.slice(3) : ["dist"];
const SIDES = ["sources", ...builtFolders, "fastify", "grpc"];
type Side = string;
const isKit = (side: Side) => side !== "fastify" && side !== "grpc";

const databases = await createDatabases(["inventory"]);
const bareCache = mkdtempSync(join(tmpdir(), "orderly-bench-cache-"));

function start(side: Side): Promise<Target> {
  if (isKit(side)) {
    return spawnTarget({
      name: `inventory-${side}`,
      nodeArgs: ["--import", side === "sources" ? TELEMETRY_ENTRY : `./${side}/register.mjs`],
      script: side === "sources" ? "src/main.ts" : `${side}/main.mjs`,
      cwd: serviceDir("inventory"),
      env: serviceEnv({ DATABASE_URL: databases.urls.inventory }),
      readyTimeoutMs: 120_000,
    });
  }
  return spawnTarget({
    name: `bare-${side}`,
    script: targetScript(side === "fastify" ? "bare-fastify.ts" : "bare-grpc.ts"),
    cwd: BENCH_DIR,
    env: { ...baseEnv(), NODE_COMPILE_CACHE: bareCache },
  });
}

interface Sample {
  readyMs: number;
  cpuMs: number;
  rssMb: number;
}

async function measure(side: Side): Promise<Sample> {
  const target = await start(side);
  try {
    const serving = target.tail.find((line) => line.includes('"startupCpuMs"'));
    const cpuMs = isKit(side)
      ? Number((JSON.parse(serving ?? "{}") as { startupCpuMs?: number }).startupCpuMs)
      : (sampleProcess(target.pid)?.cpuSeconds ?? Number.NaN) * 1000;
    await sleep(1000);
    return {
      readyMs: round(target.readyMs),
      cpuMs: round(cpuMs),
      rssMb: round((sampleProcess(target.pid)?.rssBytes ?? 0) / 2 ** 20, 1),
    };
  } finally {
    await target.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

try {
  for (const side of SIDES) await measure(side); // migrates the database, fills every compile cache
  const samples: Record<Side, Sample[]> = Object.fromEntries(SIDES.map((side) => [side, []]));
  for (let r = 0; r < rounds; r++) {
    const order = SIDES.map((_, i) => SIDES[(i + r) % SIDES.length] as Side);
    for (const side of order) samples[side]?.push(await measure(side));
    const load = loadavg()[0]?.toFixed(1);
    console.log(
      `round ${r + 1} (load ${load}): ${SIDES.map((s) => {
        const x = samples[s]?.at(-1);
        return `${s} ${x?.readyMs} ms / CPU ${x?.cpuMs} ms / ${x?.rssMb} MB`;
      }).join(" | ")}`,
    );
  }
  const ratio = (side: Side, bare: Side) =>
    median(
      (samples[side] ?? []).map((x, i) => x.readyMs / (samples[bare]?.[i]?.readyMs ?? Number.NaN)),
    ).toFixed(2);
  for (const side of SIDES) {
    const s = samples[side] ?? [];
    console.log(
      `${side}: ready ${median(s.map((x) => x.readyMs))} ms, CPU to ready ${median(s.map((x) => x.cpuMs))} ms, RSS ${median(s.map((x) => x.rssMb)).toFixed(1)} MB` +
        (isKit(side)
          ? `, ${ratio(side, "fastify")}x fastify, ${ratio(side, "grpc")}x grpc-js (median of per-round ratios)`
          : ""),
    );
  }
} finally {
  rmSync(bareCache, { recursive: true, force: true });
  await databases.drop();
}
