import autocannon, { type AutocannonRequest } from "autocannon";
import { LoadRecorder } from "./latency.ts";
import type { LoadStats } from "./result.ts";

export interface HttpLoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Per-request setup and response handling (unique idempotency keys, collecting order ids). */
  requests?: AutocannonRequest[];
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutSeconds?: number;
}

/**
 * One autocannon run (closed loop: `connections` sockets, one request in flight on each, no
 * pipelining). Latencies come from autocannon's per-response event into our own microsecond
 * histogram; autocannon's own is whole milliseconds, too coarse for a /health answer.
 */
export async function runHttpLoad(options: HttpLoadOptions): Promise<LoadStats> {
  const recorder = new LoadRecorder();
  const started = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    pipelining: 1,
    timeout: options.timeoutSeconds ?? 10,
    ...(options.method ? { method: options.method } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    recorder.record(responseTime, String(statusCode), statusCode >= 200 && statusCode < 300);
  });
  instance.on("reqError", (error: Error) => {
    recorder.error(error.message === "request timed out" ? "timeout" : "error");
  });
  const result = await instance;
  const seconds = Math.min((performance.now() - started) / 1000, result.duration || Number.POSITIVE_INFINITY);
  const stats = recorder.stats(seconds);
  // autocannon's own counters are the reference for errors (its events fire once per pipelined slot).
  stats.errors = result.errors;
  return stats;
}
