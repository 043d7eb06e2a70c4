import { join } from "node:path";

/** The bench package folder (targets run with it as cwd, so `--import @orderly/kit/…` resolves). */
export const BENCH_DIR = join(import.meta.dirname, "..", "..");
export const REPO_DIR = join(BENCH_DIR, "..");

/**
 * A clean environment for a child: only what a process needs to run, never the caller's
 * DATABASE_URL, CONSUL_HTTP_ADDR, OTEL_* or NODE_OPTIONS, so a developer's shell cannot change
 * what is measured.
 */
export function baseEnv(): Record<string, string | undefined> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** What the test harness and `pnpm start` give a service: loopback, no shutdown wait. */
export function serviceEnv(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    ...baseEnv(),
    HTTP_HOST: "127.0.0.1",
    GRPC_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    GRPC_PORT: "0",
    SERVICE_ADDRESS: "127.0.0.1",
    LOG_LEVEL: "info",
    SHUTDOWN_PROPAGATION_DELAY_MS: "0",
    SHUTDOWN_DRAIN_TIMEOUT_MS: "5000",
    // The bench measures the saga, not the gates: no tokens and no certificates (internal RPCs accept
    // any caller), no rate limit (one client address sends thousands a second), unless a scenario
    // measuring a gate passes its own AUTH_* / RATE_LIMIT_* in `extra`.
    RATE_LIMIT_PER_MINUTE: "0",
    AUTH_DISABLED: "true",
    // Nor the admission limit: at a fixed number of connections its 503s would stand in for the
    // throughput being measured (bench/chaos turns it on where overload is the point).
    LOAD_ADMISSION: "off",
    ...extra,
  };
}

/** What production starts every service with. */
export const TELEMETRY_ENTRY = "@orderly/kit/tracing/register";

/** Node flags for a child: the production telemetry entry, and optionally a CPU profile. */
export function nodeArgs(options: {
  telemetry: boolean;
  cpuProfileDir?: string | undefined;
  name: string;
  /** Another telemetry entry instead of the kit's (experiments only). */
  telemetryImport?: string | undefined;
}): string[] {
  return [
    ...(options.telemetry ? ["--import", options.telemetryImport ?? TELEMETRY_ENTRY] : []),
    ...(options.cpuProfileDir
      ? [
          "--cpu-prof",
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          `--cpu-prof-name=${options.name}.cpuprofile`,
        ]
      : []),
  ];
}

export const targetScript = (name: string): string => join(BENCH_DIR, "src", "targets", name);
export const serviceDir = (name: string): string => join(REPO_DIR, "services", name);
