/**
 * When each chunk of one direction of a proxied connection may be written on: added latency
 * (fixed plus uniform jitter) and a bandwidth limit, never reordering bytes (a chunk is never
 * released before the one ahead of it, as TCP delivers in order). Pure arithmetic over a clock the
 * caller passes in, so the schedule is testable without waiting.
 */
export interface DelaySettings {
  /** Added one-way latency per chunk, ms. */
  latencyMs: number;
  /** Extra latency drawn uniformly from [0, jitterMs) per chunk. */
  jitterMs: number;
  /** Bytes per second; 0 = unlimited. */
  bytesPerSecond: number;
}

export const NO_DELAY: DelaySettings = Object.freeze({ latencyMs: 0, jitterMs: 0, bytesPerSecond: 0 });

export class DelaySchedule {
  #lastRelease = 0;
  #linkFreeAt = 0;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** The time (same unit as `now`, ms) at which a chunk of `bytes` arriving at `now` may be sent on. */
  releaseAt(now: number, bytes: number, settings: DelaySettings): number {
    let at = now + settings.latencyMs + (settings.jitterMs > 0 ? this.#random() * settings.jitterMs : 0);
    if (settings.bytesPerSecond > 0) {
      // The link sends one chunk after another: this one starts when the link is free.
      const start = Math.max(now, this.#linkFreeAt);
      this.#linkFreeAt = start + (bytes / settings.bytesPerSecond) * 1000;
      at = Math.max(at, this.#linkFreeAt);
    }
    at = Math.max(at, this.#lastRelease);
    this.#lastRelease = at;
    return at;
  }
}
