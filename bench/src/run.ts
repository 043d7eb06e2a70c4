/**
 * The Orderly bench. `pnpm bench` (full, ~30 s a scenario) or `pnpm bench:ci` (short, gated); the
 * flags are USAGE below (`node src/run.ts --help` prints it). Writes results/<stamp>-<mode>.{json,md,svg},
 * prints the markdown, and with --ci exits 1 when a gate fails. Every child process is killed and
 * every database dropped however the run ends.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runPendingCleanups } from "./lib/cleanup.ts";
import { DATABASE_URL_VARIABLE, postgresAdminUrl } from "./lib/databases.ts";
import { evaluateGates, evaluateTargets } from "./lib/gates.ts";
import { loadAverage, machineInfo } from "./lib/machine.ts";
import { natsServerVersion } from "./lib/nats-server.ts";
import { runPgbench } from "./lib/pgbench.ts";
import { killAll } from "./lib/processes.ts";
import { toMarkdown } from "./lib/report-markdown.ts";
import { toSvg } from "./lib/report-svg.ts";
import type { BenchReport, EventsResult, ScenarioResult, StackInfo } from "./lib/result.ts";
import { BENCH_DIR } from "./lib/target-env.ts";
import { checkConsistency } from "./scenarios/consistency.ts";
import { eventsScenario } from "./scenarios/events.ts";
import { grpcScenario, healthScenario, type PairPlan } from "./scenarios/kit-vs-bare.ts";
import { OrderLedger } from "./scenarios/order-ledger.ts";
import {
  orderCreateGrpc,
  orderCreateHttp,
  orderGet,
  type StackPlan,
  settleOrders,
} from "./scenarios/orders.ts";
import { restartScenario } from "./scenarios/restart.ts";
import { seedOrders } from "./scenarios/seed-orders.ts";
import { missingServices, seedInventory, startStack } from "./scenarios/stack.ts";

const SCENARIOS = [
  "health",
  "grpc",
  "restart",
  "pgbench",
  "order-create-1",
  "order-create-4",
  "order-create",
  "order-create-64",
  "order-create-hot",
  "order-create-grpc",
  "order-get",
  "order-create-seeded",
  "order-create-embedded",
  "events",
] as const;
type ScenarioName = (typeof SCENARIOS)[number];
type StackScenarioName = Exclude<ScenarioName, "health" | "grpc" | "restart" | "pgbench" | "events">;
/** Run on the PostgreSQL stack (or PGlite when no server is configured), in this order. */
const STACK_SCENARIOS: readonly StackScenarioName[] = [
  "order-create-1",
  "order-create-4",
  "order-create",
  "order-create-64",
  "order-create-hot",
  "order-create-grpc",
  "order-get",
  "order-create-seeded",
];
/** What a mode runs without --only. CI stays short (it runs after the test suite): no curve, no seeding. */
const DEFAULT_SCENARIOS: Record<"full" | "ci", readonly ScenarioName[]> = {
  full: SCENARIOS,
  ci: ["health", "grpc", "restart", "order-create", "order-create-hot", "order-create-grpc", "order-get"],
};
/** Orders written into the databases before the pre-seeded scenario. */
const SEEDED_ORDERS = 200_000;

interface Durations {
  restart: { rounds: number; idleMs: number };
  pair: { connections: number; warmupSeconds: number; rounds: number; roundSeconds: number };
  pgbench: { clients: number; threads: number; seconds: number };
  stack: Record<StackScenarioName, { connections: number; warmupSeconds: number; seconds: number }>;
  events: { warmupSeconds: number; seconds: number; rawSeconds: number };
}

/** Full: 15-30 measured seconds a scenario. CI: about two minutes in all, start-ups included. */
const DURATIONS: Record<"full" | "ci", Durations> = {
  full: {
    restart: { rounds: 6, idleMs: 1000 },
    pair: { connections: 50, warmupSeconds: 3, rounds: 6, roundSeconds: 2.5 },
    pgbench: { clients: 16, threads: 2, seconds: 10 },
    stack: {
      "order-create-1": { connections: 1, warmupSeconds: 2, seconds: 15 },
      "order-create-4": { connections: 4, warmupSeconds: 2, seconds: 15 },
      "order-create": { connections: 16, warmupSeconds: 5, seconds: 30 },
      "order-create-64": { connections: 64, warmupSeconds: 3, seconds: 20 },
      "order-create-hot": { connections: 16, warmupSeconds: 3, seconds: 20 },
      "order-create-grpc": { connections: 16, warmupSeconds: 3, seconds: 20 },
      "order-get": { connections: 16, warmupSeconds: 3, seconds: 20 },
      "order-create-seeded": { connections: 16, warmupSeconds: 5, seconds: 30 },
      "order-create-embedded": { connections: 16, warmupSeconds: 3, seconds: 20 },
    },
    events: { warmupSeconds: 3, seconds: 15, rawSeconds: 5 },
  },
  ci: {
    restart: { rounds: 4, idleMs: 1000 },
    pair: { connections: 50, warmupSeconds: 1, rounds: 4, roundSeconds: 2 },
    pgbench: { clients: 16, threads: 2, seconds: 5 },
    stack: {
      "order-create-1": { connections: 1, warmupSeconds: 1, seconds: 8 },
      "order-create-4": { connections: 4, warmupSeconds: 1, seconds: 8 },
      "order-create": { connections: 16, warmupSeconds: 2, seconds: 10 },
      "order-create-64": { connections: 64, warmupSeconds: 1, seconds: 8 },
      "order-create-hot": { connections: 16, warmupSeconds: 1, seconds: 6 },
      "order-create-grpc": { connections: 16, warmupSeconds: 1, seconds: 8 },
      "order-get": { connections: 16, warmupSeconds: 1, seconds: 5 },
      "order-create-seeded": { connections: 16, warmupSeconds: 1, seconds: 10 },
      "order-create-embedded": { connections: 16, warmupSeconds: 1, seconds: 10 },
    },
    events: { warmupSeconds: 1, seconds: 5, rawSeconds: 2 },
  },
};

const USAGE = `node src/run.ts --full | --ci
  [--only=health,grpc,restart,pgbench,order-create-1,order-create-4,order-create,order-create-64,
          order-create-hot,order-create-grpc,order-get,order-create-seeded,order-create-embedded,events]
  [--baseline]          also write results/baseline.{json,md,svg} (the run bench/README.md cites)
  [--cpu-prof]          profile every child process (results/profiles/<stamp>/<name>.cpuprofile)
  [--no-kit-telemetry]  start the kit targets without the telemetry entry (diagnosis only)
  [--kit-import=<specifier>]  another telemetry entry for the kit targets (src/experiments/)
  [--stack-connections=N]  override the connections of the full-stack scenarios (exploration)
  [--help]              print this and run nothing`;

const FLAGS = ["--full", "--ci", "--baseline", "--cpu-prof", "--no-kit-telemetry", "--help", "-h"];
const VALUED_FLAGS = ["--only", "--kit-import", "--stack-connections"];

/** A flag this bench does not know stops it before anything starts (a typo must not run the full set). */
function unknownFlags(argv: string[]): string[] {
  return argv.filter((a) => !FLAGS.includes(a) && !VALUED_FLAGS.some((f) => a.startsWith(`${f}=`)));
}

function parseArgs(argv: string[]) {
  const has = (flag: string) => argv.includes(flag);
  const value = (flag: string) => argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  const unknown = unknownFlags(argv);
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(" ")}\nusage: ${USAGE}`);
  const mode: "full" | "ci" = has("--ci") ? "ci" : "full";
  const only = value("--only")?.split(",").filter(Boolean);
  const unknownScenarios = only?.filter((s) => !(SCENARIOS as readonly string[]).includes(s)) ?? [];
  if (unknownScenarios.length > 0)
    throw new Error(`unknown scenario(s): ${unknownScenarios.join(", ")}; known: ${SCENARIOS.join(", ")}`);
  return {
    help: has("--help") || has("-h"),
    mode,
    scenarios: (only ?? [...DEFAULT_SCENARIOS[mode]]) as ScenarioName[],
    baseline: has("--baseline"),
    cpuProf: has("--cpu-prof"),
    kitTelemetry: !has("--no-kit-telemetry"),
    kitImport: value("--kit-import"),
    stackConnections: value("--stack-connections") ? Number(value("--stack-connections")) : undefined,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const resultsDir = join(BENCH_DIR, "results");
  const cpuProfileDir = args.cpuProf ? join(resultsDir, "profiles", stamp) : undefined;
  mkdirSync(resultsDir, { recursive: true });
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const durations = structuredClone(DURATIONS[args.mode]);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: "",
    mode: args.mode,
    command: `node src/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
    machine: machineInfo(),
    scenarios: [],
    stack: undefined,
    gates: [],
    targets: [],
    failures: [],
    ...(cpuProfileDir ? { cpuProfileDir } : {}),
  };
  log(
    `bench ${args.mode}: ${args.scenarios.join(", ")} (load average ${report.machine.loadAtStart.join(" / ")})`,
  );

  const wants = (name: ScenarioName) => args.scenarios.includes(name);
  const record = async (name: string, run: () => Promise<ScenarioResult>) => {
    log(`${name}:`);
    try {
      report.scenarios.push(await run());
    } catch (error) {
      report.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  };

  const pairPlan: PairPlan = {
    ...durations.pair,
    kitTelemetry: args.kitTelemetry,
    kitImport: args.kitImport,
    cpuProfileDir,
    log,
  };
  if (wants("health")) await record("health", () => healthScenario(pairPlan));
  if (wants("grpc")) await record("grpc", () => grpcScenario(pairPlan));
  if (wants("restart")) {
    log("restart:");
    try {
      report.restart = await restartScenario({ ...durations.restart, log });
    } catch (error) {
      report.failures.push(`restart: ${error instanceof Error ? error.message : String(error)}`);
      log(`restart failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  if (wants("pgbench")) {
    const adminUrl = postgresAdminUrl();
    log("pgbench:");
    report.pgbench = adminUrl
      ? await runPgbench(adminUrl, durations.pgbench, log)
      : { command: "pgbench", tps: Number.NaN, skipped: `${DATABASE_URL_VARIABLE} is not set` };
  }

  if (args.stackConnections) {
    for (const plan of Object.values(durations.stack)) plan.connections = args.stackConnections;
  }
  if (STACK_SCENARIOS.some(wants))
    report.stack = await runStack(args.scenarios, durations, cpuProfileDir, report, record);
  if (wants("order-create-embedded")) {
    report.stack ??= {
      database: "pglite",
      databaseVersion: "",
      startup: [],
      consistency: undefined,
      replayed: 0,
      skipped: "only the embedded scenario ran",
    };
    report.stack.embedded = await runEmbedded(durations, cpuProfileDir, report, record);
  }

  if (wants("events")) {
    log("events:");
    if (natsServerVersion() === undefined) {
      report.events = skippedEvents("nats-server is not on PATH");
    } else {
      try {
        report.events = await eventsScenario({ ...durations.events, log });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failures.push(`events: ${message}`);
        log(`events failed: ${error instanceof Error ? error.stack : message}`);
      }
    }
  }

  report.machine.loadAtEnd = loadAverage();
  report.finishedAt = new Date().toISOString();
  report.gates = evaluateGates(report, {
    requiredScenarios: args.scenarios.filter((s) => s !== "pgbench" && s !== "restart" && s !== "events"),
    requireRestart: args.scenarios.includes("restart"),
  });
  report.targets = args.mode === "full" ? evaluateTargets(report) : [];

  const base = join(resultsDir, `${stamp}-${args.mode}`);
  const markdown = toMarkdown(report);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.svg`, toSvg(report));
  if (args.baseline) {
    for (const ext of ["json", "md", "svg"])
      copyFileSync(`${base}.${ext}`, join(resultsDir, `baseline.${ext}`));
  }
  process.stdout.write(
    `\n${markdown}\nWrote ${base}.{json,md,svg}${args.baseline ? " and results/baseline.*" : ""}\n`,
  );

  const failed = report.gates.filter((g) => !g.ok);
  if (args.mode === "ci" && failed.length > 0) {
    console.error(`\nbench:ci FAILED ${failed.length} gate(s):`);
    for (const g of failed) console.error(`  - ${g.name}: ${g.detail}`);
    return 1;
  }
  if (args.mode === "ci") log("\nbench:ci: every gate passed");
  return 0;
}

async function runStack(
  wanted: ScenarioName[],
  durations: Durations,
  cpuProfileDir: string | undefined,
  report: BenchReport,
  record: (name: string, run: () => Promise<ScenarioResult>) => Promise<void>,
): Promise<StackInfo> {
  const missing = missingServices();
  if (missing.length > 0) {
    const skipped = `no composition root yet: ${missing.map((s) => `services/${s}/src/main.ts`).join(", ")}`;
    log(`stack scenarios skipped: ${skipped}`);
    return {
      database: "pglite",
      databaseVersion: "",
      startup: [],
      consistency: undefined,
      replayed: 0,
      skipped,
    };
  }
  log("stack: starting four services");
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({ cpuProfileDir, log });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report.failures.push(`stack start: ${message}`);
    log(`stack start failed: ${message}`);
    return {
      database: "pglite",
      databaseVersion: "",
      startup: [],
      consistency: undefined,
      replayed: 0,
      skipped: `stack did not start: ${message.split("\n")[0]}`,
    };
  }
  const info: StackInfo = {
    database: stack.databases.kind,
    databaseVersion: stack.databases.version,
    startup: stack.startup,
    consistency: undefined,
    replayed: 0,
  };
  const ledger = new OrderLedger();
  try {
    try {
      await seedInventory(stack);
      const plan = (name: StackScenarioName): StackPlan => ({ ...durations.stack[name], log });
      for (const name of ["order-create-1", "order-create-4", "order-create", "order-create-64"] as const)
        if (wanted.includes(name))
          await record(name, () => orderCreateHttp(stack, ledger, plan(name), { hot: false, name }));
      if (wanted.includes("order-create-hot"))
        await record("order-create-hot", () =>
          orderCreateHttp(stack, ledger, plan("order-create-hot"), { hot: true }),
        );
      if (wanted.includes("order-create-grpc"))
        await record("order-create-grpc", () => orderCreateGrpc(stack, ledger, plan("order-create-grpc")));
      if (wanted.includes("order-get"))
        await record("order-get", () => orderGet(stack, ledger, plan("order-get")));
      if (wanted.includes("order-create-seeded")) {
        if (stack.databases.kind !== "postgres") {
          report.failures.push(`order-create-seeded: needs PostgreSQL (${DATABASE_URL_VARIABLE})`);
        } else {
          log(
            `order-create-seeded: writing ${SEEDED_ORDERS.toLocaleString("en-US")} orders into the databases`,
          );
          const startedAt = performance.now();
          try {
            await seedOrders(stack.databases.urls, SEEDED_ORDERS, log);
            const seconds = Math.round((performance.now() - startedAt) / 100) / 10;
            info.seeded = { orders: SEEDED_ORDERS, seconds };
            log(`  seeded in ${seconds} s`);
            await record("order-create-seeded", () =>
              orderCreateHttp(stack, ledger, plan("order-create-seeded"), {
                hot: false,
                name: "order-create-seeded",
              }),
            );
          } catch (error) {
            report.failures.push(
              `order-create-seeded: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }
      const settled = await settleOrders(stack, ledger, log);
      info.replayed = settled.replayed;
    } finally {
      log("stack: stopping");
      await stack.stop();
    }
    log("stack: consistency check");
    info.consistency = await checkConsistency(stack.databases.urls, ledger);
    log(
      `stack: consistency ${info.consistency.ok ? "ok" : `FAILED: ${info.consistency.problems.join("; ")}`}`,
    );
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    report.failures.push(`stack: ${message}`);
    log(`stack failed: ${message}`);
  } finally {
    await stack.databases
      .drop()
      .catch((error: unknown) => log(`dropping bench databases failed: ${String(error)}`));
  }
  return info;
}

/**
 * The embedded default as `pnpm start` runs it: PGlite in each service's process, telemetry
 * registered but the SDK disabled (OTEL_SDK_DISABLED=true). A stack of its own, checked on its own.
 */
async function runEmbedded(
  durations: Durations,
  cpuProfileDir: string | undefined,
  report: BenchReport,
  record: (name: string, run: () => Promise<ScenarioResult>) => Promise<void>,
): Promise<NonNullable<StackInfo["embedded"]>> {
  const missing = missingServices();
  if (missing.length > 0)
    return { startup: [], consistency: undefined, replayed: 0, skipped: "no composition root yet" };
  log("embedded: starting four services on PGlite (OTEL_SDK_DISABLED=true, as pnpm start)");
  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({ cpuProfileDir, log, embedded: true, env: { OTEL_SDK_DISABLED: "true" } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report.failures.push(`embedded stack start: ${message}`);
    return { startup: [], consistency: undefined, replayed: 0, skipped: message.split("\n")[0] ?? message };
  }
  const ledger = new OrderLedger();
  const result: NonNullable<StackInfo["embedded"]> = {
    startup: stack.startup,
    consistency: undefined,
    replayed: 0,
  };
  try {
    try {
      await seedInventory(stack);
      await record("order-create-embedded", () =>
        orderCreateHttp(
          stack,
          ledger,
          { ...durations.stack["order-create-embedded"], log },
          { hot: false, name: "order-create-embedded" },
        ),
      );
      result.replayed = (await settleOrders(stack, ledger, log)).replayed;
    } finally {
      await stack.stop();
    }
    result.consistency = await checkConsistency(stack.databases.urls, ledger);
    log(
      `embedded: consistency ${result.consistency.ok ? "ok" : `FAILED: ${result.consistency.problems.join("; ")}`}`,
    );
  } catch (error) {
    report.failures.push(
      `embedded: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    await stack.databases.drop().catch(() => undefined);
  }
  return result;
}

/** The report entry of an event scenario that could not run (zeros, and why). */
function skippedEvents(why: string): EventsResult {
  const phase = {
    events: 0,
    seconds: 0,
    eventsPerSecond: 0,
    cpuMsPerEvent: 0,
    lagMs: { p50: 0, p90: 0, p99: 0, max: 0 },
    processes: [],
  };
  return {
    database: "",
    natsServer: "",
    payloadBytes: 0,
    writers: 0,
    maxInFlight: 0,
    saturated: phase,
    paced: phase,
    duplicates: 0,
    rawPublish: [],
    stages: [],
    skipped: why,
  };
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`\n${signal}: stopping children and dropping bench databases`);
    killAll("SIGKILL");
    void runPendingCleanups().finally(() => process.exit(130));
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  killAll("SIGKILL");
  await runPendingCleanups();
  process.exitCode = 1;
}
