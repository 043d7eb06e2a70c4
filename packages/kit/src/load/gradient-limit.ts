import type { ConcurrencyLimit, LatencySample } from "./concurrency-limit.ts";

export interface GradientLimitOptions {
  /** The limit never goes below this: a latency rise that is not overload must not starve us. */
  minLimit: number;
  maxLimit: number;
  /** Where the limit starts. Default maxLimit: nothing is refused before latency says so. */
  initialLimit?: number;
  /** Latency up to this multiple of the baseline is not taken as queueing. Default 2. */
  tolerance?: number;
  /** A window closes once it is at least this long... Default 250 ms. */
  minWindowMs?: number;
  /** ...and holds at least this many samples. Default 10. */
  minWindowSamples?: number;
  /** Congested windows in a row before the limit comes down: one slow window is noise. Default 2. */
  sustainedWindows?: number;
  /** How fast the baseline follows a higher latency while nothing is shed. Default 10 s. */
  baselineHalfLifeMs?: number;
}

/**
 * An adaptive concurrency limit in the style of Netflix's concurrency-limits (Gradient2, Vegas),
 * written for the kit's one-process-per-core services. Samples are averaged over windows; the
 * baseline is the lowest window mean seen (the latency with no queue); the gradient
 * `tolerance x baseline / window mean`, clamped to [0.5, 1], says how much of the latency is queue.
 *
 * - Congested (gradient < 1 for `sustainedWindows` windows in a row, with more requests in flight
 *   than the floor): the limit drops to gradient x the requests actually in flight, so an unused
 *   high limit comes down in one step and a used one at most halves per window.
 * - Not congested and at least half the limit used: it grows by sqrt(limit) / 2 per window.
 * - Otherwise (idle, or one slow window) it holds.
 *
 * The baseline must be able to rise (a slower peer, a bigger data set), but not because of our own
 * queue, or the limit would drift up under sustained overload: it follows a higher latency only
 * in windows where nothing was refused, or when the limit is already at its floor (at the floor
 * the latency seen is as close to "no queue" as this instance can get).
 */
export class GradientLimit implements ConcurrencyLimit {
  readonly #min: number;
  readonly #max: number;
  readonly #tolerance: number;
  readonly #minWindowMs: number;
  readonly #minSamples: number;
  readonly #sustained: number;
  readonly #halfLifeMs: number;
  #estimate: number;
  #baselineMs: number | undefined;
  #congestedStreak = 0;
  // The window being filled.
  #startedAt: number | undefined;
  #samples = 0;
  #totalMs = 0;
  #maxInFlight = 0;
  #shed = false;

  constructor(options: GradientLimitOptions) {
    this.#min = Math.max(1, Math.floor(options.minLimit));
    this.#max = Math.max(this.#min, Math.floor(options.maxLimit));
    this.#estimate = clamp(options.initialLimit ?? this.#max, this.#min, this.#max);
    this.#tolerance = options.tolerance ?? 2;
    this.#minWindowMs = options.minWindowMs ?? 250;
    this.#minSamples = Math.max(1, options.minWindowSamples ?? 10);
    this.#sustained = Math.max(1, options.sustainedWindows ?? 2);
    this.#halfLifeMs = options.baselineHalfLifeMs ?? 10_000;
  }

  get limit(): number {
    return Math.floor(this.#estimate);
  }

  /** The no-queue latency the limit measures against; undefined before the first window. */
  get baselineMs(): number | undefined {
    return this.#baselineMs;
  }

  onSample(sample: LatencySample): void {
    // The first window opens when its first request was admitted; each next one where the last closed.
    this.#startedAt ??= sample.at - sample.rttMs;
    this.#samples++;
    this.#totalMs += sample.rttMs;
    this.#maxInFlight = Math.max(this.#maxInFlight, sample.inFlight);
    const elapsed = sample.at - this.#startedAt;
    if (this.#samples >= this.#minSamples && elapsed >= this.#minWindowMs) {
      this.#closeWindow(elapsed);
      this.#startedAt = sample.at;
    }
  }

  onRejected(): void {
    this.#shed = true;
  }

  #closeWindow(elapsedMs: number): void {
    const meanMs = this.#totalMs / this.#samples;
    const used = this.#maxInFlight;
    const shed = this.#shed;
    this.#samples = 0;
    this.#totalMs = 0;
    this.#maxInFlight = 0;
    this.#shed = false;

    const baseline = this.#nextBaseline(meanMs, elapsedMs, shed);
    this.#baselineMs = baseline;
    const gradient = clamp((this.#tolerance * baseline) / Math.max(meanMs, Number.EPSILON), 0.5, 1);
    if (gradient >= 1) {
      this.#congestedStreak = 0;
      // Growing an unused limit would only let the next burst in unchecked.
      if (used >= this.#estimate / 2)
        this.#estimate = Math.min(this.#max, this.#estimate + Math.sqrt(this.#estimate) / 2);
      return;
    }
    // At or below the floor, our own queue cannot be the cause: nothing to take back.
    if (used <= this.#min) return;
    this.#congestedStreak++;
    if (this.#congestedStreak < this.#sustained) return;
    this.#estimate = Math.max(this.#min, Math.min(this.#estimate, used) * gradient);
  }

  #nextBaseline(meanMs: number, elapsedMs: number, shed: boolean): number {
    const baseline = this.#baselineMs;
    if (baseline === undefined || meanMs <= baseline) return meanMs;
    if (shed && this.#estimate > this.#min) return baseline;
    const share = 1 - 2 ** (-elapsedMs / this.#halfLifeMs);
    return baseline + (meanMs - baseline) * share;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
