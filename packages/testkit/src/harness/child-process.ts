import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type Env, TEST_ENV } from "./in-process.ts";

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly grpcAddress: string;
  /** Every JSON log line the process printed so far. */
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface SpawnServiceOptions {
  /** The service folder, e.g. /repo/services/inventory. */
  cwd: string;
  env?: Env;
  /** Start telemetry through the production --import entry. Default true. */
  telemetry?: boolean;
  readyTimeoutMs?: number;
}

/**
 * Runs a service as production does (`node --import @orderly/kit/tracing/register src/main.ts`)
 * and resolves once it logs that it is serving, with the ports it bound.
 */
export function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const args = [
    ...(options.telemetry === false ? [] : ["--import", "@orderly/kit/tracing/register"]),
    "src/main.ts",
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...TEST_ENV, LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `service in ${options.cwd} not serving after ${options.readyTimeoutMs ?? 20000} ms\n${stderr}`,
        ),
      );
    }, options.readyTimeoutMs ?? 20000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service in ${options.cwd} exited (${code}) before serving\n${stderr}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(parsed);
      if (typeof parsed.httpPort === "number" && typeof parsed.grpcPort === "number") {
        clearTimeout(timer);
        resolve({
          child,
          lines,
          exited,
          httpUrl: `http://127.0.0.1:${parsed.httpPort}`,
          grpcAddress: `127.0.0.1:${parsed.grpcPort}`,
          kill: (signal = "SIGTERM") => child.kill(signal),
        });
      }
    });
  });
}
