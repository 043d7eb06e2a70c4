/** One admitted request, as it finished: how long it took and how many were in flight with it. */
export interface LatencySample {
  /** Time from admission to the end of the request. */
  rttMs: number;
  /** Requests in flight when this one was admitted (itself included). */
  inFlight: number;
  /** When it finished, on the admission limit's clock (ms). */
  at: number;
}

/** The algorithm behind an admission limit: what the limit is now, and what it learns from. */
export interface ConcurrencyLimit {
  /** Requests allowed in flight at once right now (at least 1). */
  readonly limit: number;
  /** An admitted request finished and its latency says something about the load. */
  onSample(sample: LatencySample): void;
  /** A request was refused because `limit` were already in flight. */
  onRejected(at: number): void;
}

/** LOAD_ADMISSION=static: the same limit whatever happens. */
export class FixedLimit implements ConcurrencyLimit {
  readonly limit: number;

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  onSample(): void {}

  onRejected(): void {}
}
