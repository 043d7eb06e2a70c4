import { runningTelemetry } from "./telemetry-slot.ts";

export interface ShutdownTelemetryOptions {
  /** Upper bound on the flush; an unreachable collector must not hold up exit. Default 5000. */
  timeoutMs?: number;
}

export type TelemetryShutdown =
  | { status: "off" }
  | { status: "flushed" }
  | { status: "timed-out"; timeoutMs: number }
  | { status: "failed"; error: unknown };

export const DEFAULT_TELEMETRY_SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * The last step of graceful shutdown: exports the spans still buffered and stops the SDK that the
 * `--import` entry (or `startTracing`) started. Never throws and never waits past `timeoutMs`, so
 * the caller can exit right after; the result says what happened, for the final log line.
 * Resolves `{ status: "off" }` when tracing is not running.
 */
export async function shutdownTelemetry(options: ShutdownTelemetryOptions = {}): Promise<TelemetryShutdown> {
  const telemetry = runningTelemetry();
  if (!telemetry) return { status: "off" };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TELEMETRY_SHUTDOWN_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<TelemetryShutdown>((resolve) => {
    timer = setTimeout(() => resolve({ status: "timed-out", timeoutMs }), timeoutMs);
    timer.unref();
  });
  const stopped = telemetry.shutdown().then(
    (): TelemetryShutdown => ({ status: "flushed" }),
    (error: unknown): TelemetryShutdown => ({ status: "failed", error }),
  );
  try {
    return await Promise.race([stopped, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
