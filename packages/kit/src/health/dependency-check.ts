/** A named dependency check, for example the database answering `select 1`. */
export interface DependencyCheck {
  name: string;
  /** Required checks gate readiness; optional ones only show in the report. Default true. */
  required?: boolean;
  /** Default 2000 ms; a check that takes longer fails (and its signal aborts). */
  timeoutMs?: number;
  /** How often it runs in the background, and how long its result is reused. Default: Health's. */
  intervalMs?: number;
  check(signal: AbortSignal): Promise<void>;
}

export interface CheckResult {
  status: "pass" | "fail";
  required: boolean;
  latencyMs: number;
  /** How old the result is, in milliseconds, when the report was built. */
  ageMs: number;
  /** Why it failed; never secrets (messages only). */
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 2000;

type Outcome = Omit<CheckResult, "ageMs"> & { finishedAt: number };

/**
 * One check's runs: at most one in flight (concurrent callers share it), the latest outcome kept
 * with its time, and an optional background loop. A run ends when the check settles or its timeout
 * passes, whichever is first: a hung check fails on time and the next run starts on schedule, its
 * aborted signal telling the old one to give up.
 */
export class DependencyCheckRunner {
  readonly name: string;
  readonly required: boolean;
  readonly #check: DependencyCheck;
  readonly #intervalMs: number;
  readonly #onResult: () => void;
  #latest: Outcome | undefined;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(check: DependencyCheck, defaultIntervalMs: number, onResult: () => void) {
    this.#check = check;
    this.name = check.name;
    this.required = check.required ?? true;
    this.#intervalMs = check.intervalMs ?? defaultIntervalMs;
    this.#onResult = onResult;
  }

  /** Passing by its latest result; true before the first run (the lifecycle gates readiness then). */
  get passing(): boolean {
    return this.#latest === undefined || this.#latest.status === "pass";
  }

  /** Whether the latest result is younger than the interval (always, while polling has a result). */
  freshAt(now: number): boolean {
    const latest = this.#latest;
    if (!latest) return false;
    return this.#polling || now - latest.finishedAt < this.#intervalMs;
  }

  resultAt(now: number): CheckResult | undefined {
    const latest = this.#latest;
    if (!latest) return undefined;
    // Fields written out, not rest and spread: this runs for every probe.
    const ageMs = Math.max(0, Math.round(now - latest.finishedAt));
    const { status, required, latencyMs, error } = latest;
    return error === undefined
      ? { status, required, latencyMs, ageMs }
      : { status, required, latencyMs, ageMs, error };
  }

  /** Runs the check, or joins the run in flight. Never rejects. */
  run(): Promise<void> {
    this.#running ??= this.#runOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  startPolling(): void {
    if (this.#polling) return;
    this.#polling = true;
    this.#tick();
  }

  stopPolling(): void {
    this.#polling = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    void this.run().then(() => {
      if (!this.#polling) return;
      this.#timer = setTimeout(() => this.#tick(), this.#intervalMs);
      this.#timer.unref();
    });
  }

  async #runOnce(): Promise<void> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.#check.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let error: string | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => this.#check.check(signal)),
        new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("check timed out")), { once: true }),
        ),
      ]);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    const finishedAt = performance.now();
    const latencyMs = Math.round((finishedAt - started) * 100) / 100;
    this.#latest =
      error === undefined
        ? { status: "pass", required: this.required, latencyMs, finishedAt }
        : { status: "fail", required: this.required, latencyMs, error, finishedAt };
    this.#onResult();
  }
}
