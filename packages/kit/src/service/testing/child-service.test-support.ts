import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const KIT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("fixture-service.ts", import.meta.url));
const WAIT_TIMEOUT_MS = 30_000;

export type LogLine = Record<string, unknown> & { msg?: string };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface FixtureProcess {
  readonly child: ChildProcess;
  /** Every JSON line printed on stdout so far, in order. */
  readonly lines: LogLine[];
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Resolves when the process has ended. */
  readonly exited: Promise<Exit>;
  /** Resolves once `probe` over the lines so far returns a value; rejects if the process ends first. */
  waitFor<T>(probe: (lines: readonly LogLine[]) => T | undefined, what: string): Promise<T>;
  /** Resolves with the first line (already printed or future) that matches; rejects if the process ends first. */
  waitForLine(predicate: (line: LogLine) => boolean, what: string): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Runs the fixture service as production runs a service: `node --import @orderly/kit/tracing/register
 * <entry>` from the kit's folder. The environment is exactly `env` plus PATH, so a developer's own
 * OTEL_* or CONSUL_* variables cannot leak in. The process is killed if still running when `cleanup`
 * runs (pass vitest's onTestFinished).
 */
export function runFixture(env: Record<string, string>, cleanup: (fn: () => void) => void): FixtureProcess {
  const child = spawn(process.execPath, ["--import", "@orderly/kit/tracing/register", FIXTURE], {
    cwd: KIT_ROOT,
    // Lifecycle is under test here, not the token gate.
    env: { PATH: process.env.PATH ?? "", AUTH_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  let ended = false;
  let closed = false;
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  // stdout may still hold lines when "exit" fires: waiters get their last chance on "close".
  child.once("close", () => {
    closed = true;
    for (const wake of [...waiters]) wake();
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (text) => {
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      return;
    }
    for (const wake of [...waiters]) wake();
  });
  cleanup(() => {
    if (!ended) child.kill("SIGKILL");
  });

  const waitFor = <T>(probe: (lines: readonly LogLine[]) => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = probe(lines);
        if (found !== undefined) return done(() => resolve(found));
        if (closed) done(() => reject(new Error(`fixture ended before logging ${what}\n${stderr}`)));
      };
      // A guard against a hung fixture, not an assertion about time.
      const guard = setTimeout(
        () =>
          done(() =>
            reject(new Error(`fixture did not log ${what} within ${WAIT_TIMEOUT_MS} ms\n${stderr}`)),
          ),
        WAIT_TIMEOUT_MS,
      );
      const done = (settle: () => void) => {
        clearTimeout(guard);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor,
    waitForLine: (predicate, what) => waitFor((all) => all.find(predicate), what),
    signal: (signal) => {
      child.kill(signal);
    },
  };
}

/** The fixture's "serving" line: the ports it bound. */
export async function untilServing(
  fixture: FixtureProcess,
): Promise<{ httpUrl: string; grpcTarget: string }> {
  const line = await fixture.waitForLine(
    (l) => typeof l.httpPort === "number" && typeof l.grpcPort === "number",
    "its ports",
  );
  return { httpUrl: `http://127.0.0.1:${line.httpPort}`, grpcTarget: `127.0.0.1:${line.grpcPort}` };
}

/** Index of the first line matching `predicate` (-1 when none). */
export function lineIndex(lines: readonly LogLine[], predicate: (line: LogLine) => boolean): number {
  return lines.findIndex(predicate);
}
