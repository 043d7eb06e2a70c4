import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Where load shedding learns how late the event loop runs. Injectable so tests can declare the
 * process overloaded instead of blocking the loop.
 */
export interface EventLoopDelaySource {
  start(): void;
  stop(): void;
  /** The delay over the last sampling window, in milliseconds; read on every request, so O(1). */
  delayMs(): number;
}

export interface EventLoopDelayMonitorOptions {
  /** How often the window closes and the reading is refreshed. Default 500 ms. */
  sampleIntervalMs?: number;
  /** The histogram's timer resolution. Default 10 ms. */
  resolutionMs?: number;
}

/**
 * Samples `perf_hooks.monitorEventLoopDelay` every interval and keeps the window's mean delay (less
 * the timer resolution, which is not delay). The mean, not the max, so one long GC pause does not
 * turn traffic away for a whole window; sustained pressure does.
 */
export function createEventLoopDelayMonitor(
  options: EventLoopDelayMonitorOptions = {},
): EventLoopDelaySource {
  const resolutionMs = options.resolutionMs ?? 10;
  const sampleIntervalMs = options.sampleIntervalMs ?? 500;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  let current = 0;
  let timer: NodeJS.Timeout | undefined;

  const sample = () => {
    const mean = histogram.mean;
    current = Number.isNaN(mean) ? 0 : Math.max(0, mean / 1e6 - resolutionMs);
    histogram.reset();
  };

  return {
    start() {
      if (timer) return;
      histogram.enable();
      timer = setInterval(sample, sampleIntervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      histogram.disable();
      current = 0;
    },
    delayMs: () => current,
  };
}
