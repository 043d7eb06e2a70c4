import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AppError } from "../errors/index.ts";
import { overloadedError, type ShedCause } from "../load/shedding.ts";

export interface GrpcLoadSheddingOptions {
  /** Above this event-loop delay (mean over a sample), calls are shed. Default 1000; 0 = off. */
  maxEventLoopDelayMs?: number;
  /** Above this heap use, calls are shed. Default 0 = off. */
  maxHeapUsedBytes?: number;
  /** Above this resident set size, calls are shed. Default 0 = off. */
  maxRssBytes?: number;
  /** RetryInfo.retry_delay of a shed call. Default 1000 ms. */
  retryAfterMs?: number;
  /** How often delay, heap and RSS are sampled. Default 1000 ms. */
  sampleIntervalMs?: number;
  /**
   * Consecutive samples over a process limit before shedding starts (one sample back under ends
   * it). Default 2: one stall (a GC pause, a long synchronous query) is not overload.
   */
  sustainedSamples?: number;
  /** The process readings; default the event-loop delay histogram and process.memoryUsage (tests inject). */
  readings?: () => LoadReadings;
}

export interface LoadReadings {
  eventLoopDelayMs: number;
  heapUsedBytes: number;
  rssBytes: number;
}

const RESOLUTION_MS = 10;

/**
 * Admission control for the gRPC server, the counterpart of @fastify/under-pressure on HTTP: the
 * process readings are sampled on an interval (a call compares numbers, never measures), the
 * admission limit (load/admission-limit.ts, which the server applies to unary calls) bounds the
 * calls in flight. Over a limit a call is refused before its handler runs, with UNAVAILABLE,
 * reason OVERLOADED and a RetryInfo, so the caller retries elsewhere or later: the call did
 * nothing. Health and reflection are never shed (the server passes them by).
 */
export class OverloadGuard {
  readonly #maxDelay: number;
  readonly #maxHeap: number;
  readonly #maxRss: number;
  readonly #retryAfterMs: number;
  readonly #sampleIntervalMs: number;
  readonly #readings: (() => LoadReadings) | undefined;
  readonly #sustained: number;
  #streak = 0;
  #histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** The process is over a limit since the last sample: the cause, else undefined. */
  #pressure: ShedCause | undefined;

  constructor(options: GrpcLoadSheddingOptions = {}) {
    this.#maxDelay = options.maxEventLoopDelayMs ?? 1000;
    this.#maxHeap = options.maxHeapUsedBytes ?? 0;
    this.#maxRss = options.maxRssBytes ?? 0;
    this.#retryAfterMs = options.retryAfterMs ?? 1000;
    this.#sampleIntervalMs = Math.max(options.sampleIntervalMs ?? 1000, RESOLUTION_MS);
    this.#readings = options.readings;
    this.#sustained = Math.max(1, options.sustainedSamples ?? 2);
  }

  /** Whether any process limit is set (the sampler runs only then). */
  get #samples(): boolean {
    return this.#maxDelay > 0 || this.#maxHeap > 0 || this.#maxRss > 0;
  }

  start(): void {
    if (this.#timer || !this.#samples) return;
    if (!this.#readings) {
      this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      this.#histogram.enable();
    }
    this.#timer = setInterval(() => this.sample(), this.#sampleIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#histogram?.disable();
    this.#histogram = undefined;
  }

  /** Takes one sample now (the interval calls it; tests may too). */
  sample(): void {
    const r = this.#readings ? this.#readings() : this.#defaultReadings();
    const over =
      this.#maxDelay > 0 && r.eventLoopDelayMs > this.#maxDelay
        ? "event_loop_delay"
        : this.#maxHeap > 0 && r.heapUsedBytes > this.#maxHeap
          ? "heap_used"
          : this.#maxRss > 0 && r.rssBytes > this.#maxRss
            ? "rss"
            : undefined;
    this.#streak = over ? this.#streak + 1 : 0;
    this.#pressure = this.#streak >= this.#sustained ? over : undefined;
  }

  /** Why a new call must be refused now (a process reading over its limit), or undefined to admit it. */
  check(): ShedCause | undefined {
    return this.#pressure;
  }

  /** The error a shed call ends with. */
  rejection(cause: ShedCause): AppError {
    return overloadedError(cause, this.#retryAfterMs);
  }

  /** RetryInfo.retry_delay of a shed call. */
  get retryAfterMs(): number {
    return this.#retryAfterMs;
  }

  #defaultReadings(): LoadReadings {
    const histogram = this.#histogram;
    const delay = histogram ? Math.max(0, histogram.mean / 1e6 - RESOLUTION_MS) : 0;
    histogram?.reset();
    const memory = process.memoryUsage();
    return {
      eventLoopDelayMs: Number.isFinite(delay) ? delay : 0,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
    };
  }
}
