import { existsSync, readFileSync } from "node:fs";
import { cpus, hostname, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { MachineInfo } from "./result.ts";
import { BENCH_DIR, REPO_DIR } from "./target-env.ts";

const PACKAGES: readonly [string, string][] = [
  ["fastify", BENCH_DIR],
  ["@grpc/grpc-js", BENCH_DIR],
  ["@bufbuild/protobuf", BENCH_DIR],
  ["autocannon", BENCH_DIR],
  ["pino", join(REPO_DIR, "packages", "kit")],
  ["prom-client", join(REPO_DIR, "packages", "kit")],
  ["@opentelemetry/sdk-node", join(REPO_DIR, "packages", "kit")],
  ["@opentelemetry/instrumentation-grpc", join(REPO_DIR, "packages", "kit")],
  ["@opentelemetry/instrumentation-http", join(REPO_DIR, "packages", "kit")],
  ["@fastify/otel", join(REPO_DIR, "packages", "kit")],
  ["kysely", join(REPO_DIR, "packages", "kit")],
  ["pg", join(REPO_DIR, "packages", "kit")],
  ["@electric-sql/pglite", join(REPO_DIR, "packages", "kit")],
];

function versionOf(name: string, from: string): string {
  const file = join(from, "node_modules", name, "package.json");
  if (!existsSync(file)) return "?";
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

export const loadAverage = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpuList[0]?.model.trim() ?? "?",
    cpus: cpuList.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    loadAtStart: loadAverage(),
    loadAtEnd: [],
    node: process.version,
    packages: Object.fromEntries(PACKAGES.map(([name, from]) => [name, versionOf(name, from)])),
  };
}
