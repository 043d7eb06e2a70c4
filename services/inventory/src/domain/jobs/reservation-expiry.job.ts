import type { ExpireReservations } from "../use-cases/expire-reservations.use-case.ts";

/** The timer functions the job schedules with; tests pass fake ones. */
export interface JobTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReservationExpiryJobOptions {
  expireReservations: ExpireReservations;
  /** Pause between the end of one sweep and the start of the next. */
  intervalMs: number;
  now: () => Date;
  /** Told about a sweep that failed; the job carries on with the next one. */
  onError: (error: unknown) => void;
  /** Told how many reservations a sweep expired, when it expired any. */
  onExpired?: (count: number) => void;
  timers?: JobTimers;
}

/**
 * Sweeps overdue reservations every `intervalMs` so their stock becomes available again. Sweeps
 * never overlap: the next one is scheduled when the previous one ends.
 */
export class ReservationExpiryJob {
  readonly #options: ReservationExpiryJobOptions;
  readonly #timers: JobTimers;
  #timer: unknown;
  #running: Promise<void> | undefined;
  #started = false;

  constructor(options: ReservationExpiryJobOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError("intervalMs must be positive");
    this.#options = options;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    };
  }

  /** Schedules the first sweep one interval from now. Starting twice is harmless. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule();
  }

  /** No sweep starts after this; resolves once a sweep in progress has ended. */
  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#sweep().finally(() => {
        this.#running = undefined;
        if (this.#started) this.#schedule();
      });
    }, this.#options.intervalMs);
  }

  async #sweep(): Promise<void> {
    try {
      const count = await this.#options.expireReservations(this.#options.now());
      if (count > 0) this.#options.onExpired?.(count);
    } catch (error) {
      this.#options.onError(error);
    }
  }
}
