import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCleanup } from "./cleanup.ts";
import { freePort } from "./free-port.ts";

export interface BenchNatsServer {
  url: string;
  version: string;
  pid: number;
  /** Kills it and removes its store. Idempotent; also run by run.ts's cleanup on an interrupt. */
  stop(): Promise<void>;
}

/** The installed nats-server's version ("v2.9.10"), or undefined when there is none on PATH. */
export function natsServerVersion(): string | undefined {
  const result = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  if (result.status !== 0) return undefined;
  return /v\d+\.\d+\.\d+\S*/.exec(result.stdout)?.[0] ?? result.stdout.trim();
}

/** A JetStream nats-server of the bench's own: a free port, a temporary store (fsync as configured by default). */
export async function startNatsServer(): Promise<BenchNatsServer> {
  const version = natsServerVersion();
  if (version === undefined) throw new Error("nats-server is not on PATH");
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "orderly-bench-nats-"));
  const child: ChildProcess = spawn(
    "nats-server",
    ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store],
    {
      stdio: "ignore",
    },
  );
  const stop = registerCleanup(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(store, { recursive: true, force: true });
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server did not start listening on ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { url: `nats://127.0.0.1:${port}`, version, pid: child.pid ?? 0, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
