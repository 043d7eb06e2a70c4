import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/**
 * Child processes of a bench run: every server under load runs in its own process, so its RSS and
 * CPU are its own and the load generator (this process) never shares its event loop. Every child is
 * remembered here and killed when this process exits, normally or not.
 */
export interface Target {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly httpPort: number | undefined;
  readonly grpcPort: number | undefined;
  /** Milliseconds from spawn to the ready line (the kit's "serving" log line, or the bare targets' own). */
  readonly readyMs: number;
  /** Last lines printed (stdout and stderr), for error messages. */
  readonly tail: string[];
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface SpawnTargetOptions {
  name: string;
  /** Node arguments before the script (`--import …`, `--cpu-prof …`). */
  nodeArgs?: string[];
  script: string;
  cwd: string;
  env: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous, so it also runs on process.exit() and after an uncaught exception.
  process.on("exit", () => killAll("SIGKILL"));
}

/** Kills every child still running (used on exit, and by the signal handlers of run.ts). */
export function killAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const child of running) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

const TAIL_LINES = 40;

/**
 * Spawns `node [nodeArgs] script` and resolves once it prints a JSON line with the ports it bound:
 * `httpPort` and `grpcPort` (the kit's "serving" line) or `"ready": true` (bare targets).
 */
export function spawnTarget(options: SpawnTargetOptions): Promise<Target> {
  installExitHook();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    }),
  );
  // Both pipes are always drained: a child blocked on a full stdout pipe would look like a slow server.
  if (child.stderr) createInterface({ input: child.stderr }).on("line", remember);
  const timeoutMs = options.readyTimeoutMs ?? 30_000;

  return new Promise<Target>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error(`${options.name}: ${message}\n${tail.join("\n")}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(`exited (${code}) before it was ready`);
    });
    if (!child.stdout) return fail("no stdout");
    createInterface({ input: child.stdout }).on("line", (line) => {
      remember(line);
      if (settled || !line.startsWith("{")) return;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      const httpPort = typeof parsed.httpPort === "number" ? parsed.httpPort : undefined;
      const grpcPort = typeof parsed.grpcPort === "number" ? parsed.grpcPort : undefined;
      const ready = parsed.ready === true || (httpPort !== undefined && grpcPort !== undefined);
      if (!ready) return;
      settled = true;
      clearTimeout(timer);
      const pid = child.pid ?? -1;
      resolve({
        name: options.name,
        child,
        pid,
        httpPort,
        grpcPort,
        readyMs: performance.now() - startedAt,
        tail,
        exited,
        async stop(graceMs = 10_000) {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          const code = await exited;
          clearTimeout(timer);
          return code;
        },
      });
    });
  });
}

export interface ProcessSample {
  rssBytes: number;
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** RSS and CPU time of a process from /proc (Linux); undefined elsewhere or once it has exited. */
export function sampleProcess(pid: number): ProcessSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return {
      rssBytes: rss ? Number(rss[1]) * 1024 : 0,
      cpuSeconds: (utime + stime) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

export interface ProcessUsage {
  name: string;
  /** Highest RSS sampled while the load ran, in MB. */
  peakRssMb: number;
  /** CPU time used during the load divided by its wall time: 1.0 = one core busy. */
  cpuCores: number;
  /** CPU time (user + system) the process used during the load. */
  cpuSeconds: number;
}

/**
 * Samples the RSS and CPU of the given processes every `intervalMs` until stop() is called;
 * stop() returns each one's peak RSS and average CPU use over the sampled span.
 */
export function watchProcesses(
  targets: readonly { name: string; pid: number }[],
  intervalMs = 200,
): { stop(): ProcessUsage[] } {
  const startedAt = performance.now();
  const first = targets.map((t) => sampleProcess(t.pid));
  const peak = first.map((s) => s?.rssBytes ?? 0);
  const last = [...first];
  const sample = () => {
    targets.forEach((t, i) => {
      const s = sampleProcess(t.pid);
      if (!s) return;
      last[i] = s;
      if (s.rssBytes > (peak[i] ?? 0)) peak[i] = s.rssBytes;
    });
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - startedAt) / 1000;
      return targets.map((t, i) => {
        const cpuSeconds = (last[i]?.cpuSeconds ?? 0) - (first[i]?.cpuSeconds ?? 0);
        return {
          name: t.name,
          peakRssMb: round((peak[i] ?? 0) / 1024 / 1024, 1),
          cpuCores: round(cpuSeconds / seconds, 2),
          cpuSeconds: round(cpuSeconds, 2),
        };
      });
    },
  };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
