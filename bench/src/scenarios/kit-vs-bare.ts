import { create, toBinary } from "@bufbuild/protobuf";
import { GetItemRequestSchema } from "@orderly/contracts/inventory";
import { runGrpcLoad } from "../lib/grpc-load.ts";
import { runHttpLoad } from "../lib/http-load.ts";
import { combineRounds, median } from "../lib/latency.ts";
import {
  type ProcessUsage,
  round,
  sampleProcess,
  sleep,
  spawnTarget,
  type Target,
  watchProcesses,
} from "../lib/processes.ts";
import type { LoadStats, PairScenarioResult, SideResult } from "../lib/result.ts";
import { BENCH_DIR, baseEnv, nodeArgs, serviceEnv, targetScript } from "../lib/target-env.ts";

export interface PairPlan {
  connections: number;
  warmupSeconds: number;
  rounds: number;
  roundSeconds: number;
  /** Start the kit target with the production telemetry entry (default true). */
  kitTelemetry: boolean;
  /** A different --import entry for the kit target (experiments; default the kit's own). */
  kitImport?: string | undefined;
  cpuProfileDir: string | undefined;
  log: (line: string) => void;
}

type Side = "kit" | "bare";

interface PairDefinition {
  name: string;
  description: string;
  bareScript: string;
  load(target: Target, seconds: number): Promise<LoadStats>;
}

function startKit(plan: PairPlan, scenario: string): Promise<Target> {
  return spawnTarget({
    name: `${scenario}-kit`,
    nodeArgs: nodeArgs({
      telemetry: plan.kitTelemetry,
      telemetryImport: plan.kitImport,
      cpuProfileDir: plan.cpuProfileDir,
      name: `${scenario}-kit`,
    }),
    script: targetScript("kit-service.ts"),
    cwd: BENCH_DIR,
    env: serviceEnv(plan.kitTelemetry ? {} : { OTEL_SDK_DISABLED: "true" }),
  });
}

function startBare(plan: PairPlan, scenario: string, script: string): Promise<Target> {
  return spawnTarget({
    name: `${scenario}-bare`,
    nodeArgs: nodeArgs({ telemetry: false, cpuProfileDir: plan.cpuProfileDir, name: `${scenario}-bare` }),
    script: targetScript(script),
    cwd: BENCH_DIR,
    env: baseEnv(),
  });
}

/**
 * Runs one endpoint through the kit and through the bare framework, each in its own process:
 * a warm-up each, then `rounds` rounds of one measured run per side, back to back, in ABBA order
 * (kit-bare, bare-kit, …) so a drift in machine load hits both sides alike. The ratio is the
 * median over rounds of kit/bare measured within the same round.
 */
async function runPair(def: PairDefinition, plan: PairPlan): Promise<PairScenarioResult> {
  const kit = await startKit(plan, def.name);
  let bare: Target | undefined;
  try {
    bare = await startBare(plan, def.name, def.bareScript);
    const targets: Record<Side, Target> = { kit, bare };
    await sleep(1000);
    const idleRss = {
      kit: (sampleProcess(kit.pid)?.rssBytes ?? 0) / 1024 / 1024,
      bare: (sampleProcess(bare.pid)?.rssBytes ?? 0) / 1024 / 1024,
    };
    for (const side of ["kit", "bare"] as const) {
      plan.log(`  ${def.name}: warm-up ${side} ${plan.warmupSeconds}s`);
      await def.load(targets[side], plan.warmupSeconds);
    }
    const rounds: Record<Side, LoadStats[]> = { kit: [], bare: [] };
    const usage: Record<Side, ProcessUsage[]> = { kit: [], bare: [] };
    const generatorUsage: Record<Side, ProcessUsage[]> = { kit: [], bare: [] };
    for (let r = 0; r < plan.rounds; r++) {
      const order: Side[] = r % 2 === 0 ? ["kit", "bare"] : ["bare", "kit"];
      for (const side of order) {
        const target = targets[side];
        const watch = watchProcesses([
          { name: target.name, pid: target.pid },
          { name: "load generator", pid: process.pid },
        ]);
        const stats = await def.load(target, plan.roundSeconds);
        const [server, generator] = watch.stop();
        if (server) usage[side].push(server);
        if (generator) generatorUsage[side].push(generator);
        rounds[side].push(stats);
        const used = usage[side][usage[side].length - 1];
        plan.log(
          `  ${def.name}: round ${r + 1}/${plan.rounds} ${side.padEnd(4)} ${stats.rps.toFixed(0).padStart(7)} req/s  p99 ${stats.latencyMs.p99} ms  cpu ${used?.cpuCores} cores, ${round(((used?.cpuSeconds ?? 0) * 1e6) / Math.max(1, stats.requests))} µs/req  errors ${stats.errors} non-2xx ${stats.non2xx}`,
        );
      }
    }
    const cpuUs = (u: ProcessUsage | undefined, stats: LoadStats | undefined) =>
      u && stats && stats.requests > 0 && u.cpuSeconds > 0
        ? (u.cpuSeconds * 1e6) / stats.requests
        : Number.NaN;
    const side = (s: Side): SideResult => {
      const cpuSeconds = usage[s].reduce((sum, u) => sum + u.cpuSeconds, 0);
      const requests = rounds[s].reduce((sum, r) => sum + r.requests, 0);
      return {
        stats: combineRounds(rounds[s]),
        rounds: rounds[s],
        loadGeneratorCores: round(median(generatorUsage[s].map((u) => u.cpuCores)), 2),
        process: {
          name: targets[s].name,
          peakRssMb: Math.max(...usage[s].map((u) => u.peakRssMb)),
          cpuCores: round(median(usage[s].map((u) => u.cpuCores)), 2),
          cpuSeconds: round(cpuSeconds, 2),
          cpuUsPerRequest: round(requests > 0 ? (cpuSeconds * 1e6) / requests : Number.NaN, 1),
          readyMs: round(targets[s].readyMs),
          idleRssMb: round(idleRss[s], 1),
        },
      };
    };
    const roundRatios = rounds.kit.map((k, i) => round(k.rps / (rounds.bare[i]?.rps || Number.NaN), 3));
    const roundCpuRatios = rounds.kit.map((k, i) =>
      round(cpuUs(usage.bare[i], rounds.bare[i]) / cpuUs(usage.kit[i], k), 3),
    );
    return {
      kind: "pair",
      name: def.name,
      description: def.description,
      connections: plan.connections,
      kit: side("kit"),
      bare: side("bare"),
      ratio: round(median(roundRatios), 3),
      roundRatios,
      cpuRatio: round(median(roundCpuRatios.filter(Number.isFinite)), 3),
      roundCpuRatios,
    };
  } finally {
    // SIGTERM, so a --cpu-prof child writes its profile on the way out.
    await Promise.all([kit.stop(), bare?.stop()]);
  }
}

export function healthScenario(plan: PairPlan): Promise<PairScenarioResult> {
  return runPair(
    {
      name: "health",
      description: `GET /health, ${plan.connections} connections: kit service (Service.create) vs bare fastify`,
      bareScript: "bare-fastify.ts",
      load: (target, seconds) =>
        runHttpLoad({
          url: `http://127.0.0.1:${target.httpPort}/health`,
          connections: plan.connections,
          durationSeconds: seconds,
        }),
    },
    plan,
  );
}

export const GRPC_CHANNELS = 4;

export function grpcScenario(plan: PairPlan): Promise<PairScenarioResult> {
  const request = Buffer.from(
    toBinary(GetItemRequestSchema, create(GetItemRequestSchema, { sku: "BENCH-MUG-BLUE" })),
  );
  return runPair(
    {
      name: "grpc",
      description: `InventoryService/GetItem unary, ${plan.connections} in flight over ${GRPC_CHANNELS} connections: kit GrpcServer (telemetry on) vs bare grpc-js`,
      bareScript: "bare-grpc.ts",
      load: (target, seconds) =>
        runGrpcLoad({
          address: `127.0.0.1:${target.grpcPort}`,
          path: "/orderly.inventory.v1.InventoryService/GetItem",
          concurrency: plan.connections,
          channels: GRPC_CHANNELS,
          durationSeconds: seconds,
          next: () => ({ request }),
        }),
    },
    plan,
  );
}
