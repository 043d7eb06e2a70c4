import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabases } from "../lib/databases.ts";
import { round, sampleProcess, sleep, spawnTarget, type Target } from "../lib/processes.ts";
import type { RestartResult, RestartSide } from "../lib/result.ts";
import {
  BENCH_DIR,
  baseEnv,
  nodeArgs,
  REPO_DIR,
  serviceDir,
  serviceEnv,
  targetScript,
} from "../lib/target-env.ts";

export interface RestartPlan {
  rounds: number;
  /** How long after ready the idle RSS is read (the kit/bare pairs use 1 s). */
  idleMs: number;
  log: (line: string) => void;
}

const SIDES = ["kit", "fastify", "grpc"] as const;
type Side = (typeof SIDES)[number];

/**
 * Restart to ready and idle RSS of a real service against the bare frameworks, in the same run.
 * The kit side is the inventory service as production starts it: built first (`pnpm build`, as the
 * image's build stage does), then `node --import ./dist/register.mjs dist/main.mjs` (the Dockerfile's
 * CMD), telemetry on, no exporter, on a database that is already migrated: a first start migrates it
 * and fills the compile cache, then every round restarts it. The bare sides are the bare fastify and grpc-js targets, given a compile cache of their own
 * (NODE_COMPILE_CACHE) so neither side pays for TypeScript stripping the other skips. Rounds rotate
 * the order of the three starts, so drifting machine load hits all alike; ready times on a shared
 * box are noisy, so the ratio to bare is the median of per-round ratios.
 */
export async function restartScenario(plan: RestartPlan): Promise<RestartResult> {
  buildService("inventory");
  const databases = await createDatabases(["inventory"]);
  const bareCache = mkdtempSync(join(tmpdir(), "orderly-bench-cache-"));
  try {
    const start = (side: Side): Promise<Target> => {
      if (side === "kit")
        return spawnTarget({
          name: "restart-kit",
          nodeArgs: nodeArgs({
            telemetry: true,
            name: "restart-kit",
            telemetryImport: BUILT_TELEMETRY_ENTRY,
          }),
          script: BUILT_MAIN,
          cwd: serviceDir("inventory"),
          env: serviceEnv({ DATABASE_URL: databases.urls.inventory }),
          readyTimeoutMs: 180_000,
        });
      return spawnTarget({
        name: `restart-bare-${side}`,
        script: targetScript(side === "fastify" ? "bare-fastify.ts" : "bare-grpc.ts"),
        cwd: BENCH_DIR,
        env: { ...baseEnv(), NODE_COMPILE_CACHE: bareCache },
      });
    };
    const measure = async (side: Side): Promise<Sample> => {
      const target = await start(side);
      try {
        const readyCpuMs = cpuToReady(side, target);
        await sleep(plan.idleMs);
        const rss = sampleProcess(target.pid)?.rssBytes ?? 0;
        return { readyMs: target.readyMs, readyCpuMs, idleRssMb: rss / 1024 / 1024 };
      } finally {
        await target.stop();
      }
    };
    // Warm-up: migrates the database, writes every side's compile cache.
    for (const side of SIDES) {
      const first = await measure(side);
      plan.log(`  restart: first start ${side} ${round(first.readyMs)} ms`);
    }
    const samples: Record<Side, Sample[]> = {
      kit: [],
      fastify: [],
      grpc: [],
    };
    for (let r = 0; r < plan.rounds; r++) {
      const order = SIDES.map((_, i) => SIDES[(i + r) % SIDES.length] as Side);
      for (const side of order) samples[side].push(await measure(side));
      plan.log(
        `  restart round ${r + 1}: ${SIDES.map((s) => `${s} ${round(samples[s].at(-1)?.readyMs ?? 0)} ms (CPU ${round(samples[s].at(-1)?.readyCpuMs ?? 0)} ms) ${round(samples[s].at(-1)?.idleRssMb ?? 0, 1)} MB`).join(", ")}`,
      );
    }
    const side = (s: Side): RestartSide => ({
      readyMs: median(samples[s].map((x) => x.readyMs)),
      readyMsRounds: samples[s].map((x) => round(x.readyMs)),
      readyCpuMs: median(samples[s].map((x) => x.readyCpuMs)),
      readyCpuMsRounds: samples[s].map((x) => round(x.readyCpuMs)),
      idleRssMb: median(
        samples[s].map((x) => x.idleRssMb),
        1,
      ),
      idleRssMbRounds: samples[s].map((x) => round(x.idleRssMb, 1)),
    });
    const perRound = (bare: Side) =>
      samples.kit.map((k, i) => k.readyMs / (samples[bare][i]?.readyMs ?? Number.NaN));
    return {
      service: "inventory",
      database: databases.kind,
      rounds: plan.rounds,
      idleMs: plan.idleMs,
      kit: side("kit"),
      bareFastify: side("fastify"),
      bareGrpc: side("grpc"),
      readyRatioFastify: median(perRound("fastify"), 2),
      readyRatioGrpc: median(perRound("grpc"), 2),
    };
  } finally {
    rmSync(bareCache, { recursive: true, force: true });
    await databases.drop();
  }
}

/** What deploy/docker/Dockerfile's CMD runs, relative to the service folder. */
const BUILT_TELEMETRY_ENTRY = "./dist/register.mjs";
const BUILT_MAIN = "dist/main.mjs";

/** `pnpm build` for one service: the bench measures the files production runs, never stale ones. */
function buildService(service: string): void {
  execFileSync(process.execPath, ["packages/build/src/build.ts", service], { cwd: REPO_DIR, stdio: "pipe" });
}

interface Sample {
  readyMs: number;
  /** CPU time (user + system) the process spent getting ready: far less load-dependent than readyMs. */
  readyCpuMs: number;
  idleRssMb: number;
}

/**
 * CPU time to ready. The kit states its own in the "serving" line (`startupCpuMs`): read from /proc
 * here it would include the memory-releasing GC the service starts right after that line. The bare
 * targets do nothing after their ready line, so /proc read as it arrives is theirs.
 */
function cpuToReady(side: Side, target: Target): number {
  if (side === "kit") {
    const serving = target.tail.find((line) => line.includes('"startupCpuMs"'));
    const cpu = serving ? (JSON.parse(serving) as { startupCpuMs?: unknown }).startupCpuMs : undefined;
    return typeof cpu === "number" ? cpu : Number.NaN;
  }
  return (sampleProcess(target.pid)?.cpuSeconds ?? Number.NaN) * 1000;
}

function median(values: number[], digits = 0): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const m =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return round(m, digits);
}
