import * as grpc from "@grpc/grpc-js";
import { LoadRecorder } from "./latency.ts";
import type { LoadStats } from "./result.ts";

/** grpc-js status names by number, for the statuses table. */
const STATUS_NAMES = Object.fromEntries(
  Object.entries(grpc.status)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => [v, k]),
) as Record<number, string>;

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? String(code);
}

/** One unary call to make: its bytes, metadata, and what to do with the answer. */
export interface UnaryCall {
  request: Buffer;
  metadata?: grpc.Metadata;
  /** Sees every OK answer (raw bytes); used to collect created order ids. */
  onResponse?: (response: Buffer) => void;
}

export interface GrpcLoadOptions {
  address: string;
  /** Full method path, `/<package>.<Service>/<Method>`. */
  path: string;
  /** Calls in flight at any time (closed loop: each worker waits for its answer, then sends again). */
  concurrency: number;
  /** Separate HTTP/2 connections the workers are spread over. */
  channels: number;
  durationSeconds: number;
  deadlineMs?: number;
  /** TLS towards a server with GRPC_TLS_* on; plaintext when absent. */
  credentials?: grpc.ChannelCredentials;
  /** Builds the next call; `i` counts calls across all workers. */
  next(i: number): UnaryCall;
}

const identity = (b: Buffer) => b;

/**
 * A closed-loop gRPC load client on grpc-js: `concurrency` workers over `channels` connections,
 * each sending its next call as soon as the previous one is answered, for a fixed duration.
 * Requests are encoded by the caller and answers are not decoded here, so both servers under
 * comparison are driven by exactly the same client work.
 */
export async function runGrpcLoad(options: GrpcLoadOptions): Promise<LoadStats> {
  const clients = Array.from(
    { length: options.channels },
    (_, i) =>
      new grpc.Client(options.address, options.credentials ?? grpc.credentials.createInsecure(), {
        // A private subchannel pool gives each client its own connection.
        "grpc.use_local_subchannel_pool": 1,
        "bench.channel": i,
      }),
  );
  try {
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((resolve, reject) =>
            client.waitForReady(Date.now() + 10_000, (error) => (error ? reject(error) : resolve())),
          ),
      ),
    );
    const recorder = new LoadRecorder();
    let counter = 0;
    let stopping = false;
    const started = performance.now();
    const endAt = started + options.durationSeconds * 1000;
    const deadlineMs = options.deadlineMs ?? 10_000;

    const worker = async (w: number) => {
      const client = clients[w % clients.length] as grpc.Client;
      while (!stopping && performance.now() < endAt) {
        const call = options.next(counter++);
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          client.makeUnaryRequest(
            options.path,
            identity,
            identity,
            call.request,
            call.metadata ?? new grpc.Metadata(),
            { deadline: Date.now() + deadlineMs },
            (error, response) => {
              const ms = performance.now() - t0;
              if (error) {
                const code = (error as grpc.ServiceError).code;
                if (code === grpc.status.DEADLINE_EXCEEDED) recorder.error("DEADLINE_EXCEEDED");
                else if (code === grpc.status.UNAVAILABLE && !error.details) recorder.error("UNAVAILABLE");
                else recorder.record(ms, statusName(code), false);
              } else {
                recorder.record(ms, "OK", true);
                if (response && call.onResponse) call.onResponse(response);
              }
              resolve();
            },
          );
        });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
    stopping = true;
    return recorder.stats((performance.now() - started) / 1000);
  } finally {
    for (const client of clients) client.close();
  }
}
