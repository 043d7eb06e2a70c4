import * as grpc from "@grpc/grpc-js";
import type { RegistryLogger } from "./registry-logger.ts";
import { ROUND_ROBIN_CHANNEL_OPTIONS } from "./round-robin.ts";

// Test-only helpers for the registry tests (not exported from the package).

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines, so tests can wait for "consul unreachable" instead of sleeping. */
export function recordingLogger(): {
  log: RegistryLogger;
  lines: LogLine[];
  waitFor(msg: RegExp): Promise<LogLine>;
} {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine["level"]) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, msg: msg ?? "", fields: obj as Record<string, unknown> });
    };
  return {
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
    lines,
    waitFor: (msg) =>
      eventually(async () => lines.find((l) => msg.test(l.msg)), { what: `a log line matching ${msg}` }),
  };
}

/** Polls `probe` until it returns a value (not undefined), within a bounded time. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 5000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      throw new Error(`gave up waiting for ${options.what ?? "a condition"}`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

const raw = (b: Buffer): Buffer => b;
const echoDefinition: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {
  who: {
    path: "/orderly.test.Echo/Who",
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};

export interface EchoServer {
  name: string;
  port: number;
  stop(): Promise<void>;
}

/** A gRPC server on 127.0.0.1:0 whose one method answers with the server's name. */
export async function startEchoServer(name: string): Promise<EchoServer> {
  const server = new grpc.Server();
  server.addService(echoDefinition, {
    who: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, Buffer.from(name)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { name, port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

export interface EchoClient {
  /** The name of the server that answered. */
  who(): Promise<string>;
  /** `n` calls in sequence; the names that answered. */
  batch(n: number): Promise<string[]>;
  close(): void;
}

export function echoClient(target: string): EchoClient {
  const Client = grpc.makeGenericClientConstructor(echoDefinition, "Echo");
  const client = new Client(target, grpc.credentials.createInsecure(), ROUND_ROBIN_CHANNEL_OPTIONS);
  // makeGenericClientConstructor's methods are untyped; this is the one the definition declares.
  const typed = client as unknown as {
    who(request: Buffer, options: grpc.CallOptions, callback: grpc.requestCallback<Buffer>): void;
  };
  const who = (): Promise<string> =>
    new Promise((resolve, reject) => {
      typed.who(Buffer.alloc(0), { deadline: Date.now() + 2000 }, (error, reply) =>
        error ? reject(error) : resolve((reply as Buffer).toString()),
      );
    });
  return {
    who,
    batch: async (n) => {
      const names: string[] = [];
      for (let i = 0; i < n; i++) names.push(await who());
      return names;
    },
    close: () => client.close(),
  };
}
