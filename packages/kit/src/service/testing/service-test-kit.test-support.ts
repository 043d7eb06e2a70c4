import { connect } from "node:net";
import { Writable } from "node:stream";
import type { DescService } from "@bufbuild/protobuf";
import { onTestFinished } from "vitest";
// The kit cannot depend on @orderly/testkit by name (testkit depends on the kit), so it is reached by path.
import { TEST_ENV } from "../../../../testkit/src/harness/index.ts";
import { type Client, createGrpcClient } from "../../grpc/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { createMetrics } from "../../metrics/index.ts";
import type { Service } from "../create-service.ts";
import { type FixtureConfig, loadFixtureConfig } from "./fixture-app.ts";

/**
 * The testkit's service-test defaults (ephemeral ports on loopback, silent logs, no shutdown wait,
 * auth off), a drain long enough for a loaded machine, and fast slow requests; override per test.
 */
export function fixtureConfig(env: Record<string, string> = {}): FixtureConfig {
  return loadFixtureConfig({
    ...TEST_ENV,
    SHUTDOWN_DRAIN_TIMEOUT_MS: "10000",
    FIXTURE_SLOW_MS: "50",
    ...env,
  });
}

export type LogLine = Record<string, unknown> & { msg: string; level: string };

/** A kit logger whose lines are kept, parsed, for assertions. */
export function capturedLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  const log = createLogger({ service: "test", version: "0", instance: "test", level: "info", destination });
  return { log, lines };
}

/** Stops the service when the test ends, whatever happened. */
export function stopWhenFinished(service: Service): Service {
  onTestFinished(() => service.stop("test finished"));
  return service;
}

/** A typed kit client without retries (a success must be a first-try success), closed when the test ends. */
export function testClient<S extends DescService>(service: S, target: string): Client<S> {
  const client = createGrpcClient(service, {
    target,
    peer: "inventory",
    log: createLogger({ service: "test-client", version: "0", instance: "test", level: "silent" }),
    metrics: createMetrics({ service: "test-client", version: "0", collectDefault: false }),
    // Generous: a loaded CI machine must not turn a slow call into DEADLINE_EXCEEDED.
    defaultDeadlineMs: 60_000,
    retry: false,
    breaker: false,
  });
  onTestFinished(() => client.close());
  return client;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Calls `probe` until it returns a value (not undefined), at most `attempts` times, `intervalMs`
 * apart. A bounded poll for state the test cannot await directly; errors from `probe` propagate.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  { attempts = 500, intervalMs = 10 } = {},
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
