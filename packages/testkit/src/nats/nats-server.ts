import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../net/free-port.ts";

/** True when a `nats-server` binary is on PATH; suites that need one skip otherwise. */
export function natsServerAvailable(): boolean {
  const result = spawnSync("nats-server", ["--version"], { stdio: "ignore" });
  return result.status === 0;
}

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Kills the server (SIGKILL: no graceful shutdown, like a crash) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store: durable streams and consumers come back. */
  restart(): Promise<void>;
  /** Kills it and removes the store. */
  stop(): Promise<void>;
}

/** A JetStream-enabled nats-server of its own on a free port with a temporary store. */
export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "orderly-nats-"));
  let child: ChildProcess | undefined = await launch(port, storeDir);
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill,
    async restart() {
      await kill();
      child = await launch(port, storeDir);
    },
    async stop() {
      await kill();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn("nats-server", ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir], {
    stdio: "ignore",
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("nats-server did not start listening within 10 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return child;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

/** Polls `read` until `done` holds for its value (or fails after `timeoutMs`), returning that value. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
