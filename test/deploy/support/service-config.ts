import { pathToFileURL } from "node:url";
import { repoPath, type ServiceName } from "./repo.ts";

/** What the deploy tests read from a service's parsed configuration. */
export interface ParsedServiceConfig {
  http: { port: number };
  grpc: { port: number };
  databaseUrl: string;
  consul: { address: string } | undefined;
  shutdown: { propagationDelayMs: number; drainTimeoutMs: number };
}

/**
 * The service's own `loadConfig(env)` from services/<name>/src/config.ts: the same parser, defaults
 * and validation the service runs at start. Throws the service's ConfigError when `env` is refused.
 */
export async function loadServiceConfig(
  service: ServiceName,
  env: Record<string, string | undefined>,
): Promise<ParsedServiceConfig> {
  const module = (await import(pathToFileURL(repoPath("services", service, "src/config.ts")).href)) as {
    loadConfig(env: Record<string, string | undefined>): ParsedServiceConfig;
  };
  return module.loadConfig(env);
}

/** "15s", "1m30s", "500ms" (compose and Go durations) in milliseconds. */
export function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  let rest = value.trim();
  while (rest !== "") {
    const match = /^(\d+(?:\.\d+)?)(ms|us|h|m|s)/.exec(rest);
    if (!match?.[1] || !match[2]) throw new Error(`not a duration: ${value}`);
    total += Number(match[1]) * (units[match[2]] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}
