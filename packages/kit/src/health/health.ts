import { type CheckResult, type DependencyCheck, DependencyCheckRunner } from "./dependency-check.ts";
import type { Lifecycle, LifecycleState } from "./lifecycle.ts";

export type { CheckResult, DependencyCheck } from "./dependency-check.ts";

export interface HealthReport {
  /** pass: serving and all checks pass; warn: serving, only optional checks fail; fail otherwise. */
  status: "pass" | "warn" | "fail";
  state: LifecycleState;
  service: string;
  version: string;
  instance: string;
  uptimeSeconds: number;
  checks: Record<string, CheckResult>;
}

export interface HealthOptions {
  lifecycle: Lifecycle;
  service: string;
  version: string;
  instance: string;
  checks?: readonly DependencyCheck[];
  /**
   * The default interval of checks that set none: how often they run in the background while
   * polling, and how long a result is reused by `latest()`. Default 1000 ms.
   */
  pollIntervalMs?: number;
}

export const DEFAULT_CHECK_INTERVAL_MS = 1000;

/**
 * Lifecycle state plus dependency checks: the single source for /health, /health/ready,
 * grpc.health.v1 Check/Watch, and the Consul TTL check.
 *
 * Probes must not be able to load a dependency: checks run in the background on their interval
 * while the service serves (`startPolling`), and probes answer from the latest results (`latest`).
 * A result older than its interval (before polling starts, after it stops) is refreshed on demand,
 * and concurrent callers share that one run. So whatever the probe rate, each check runs at most
 * once per interval (plus the runs `report()` asks for explicitly).
 */
export class Health {
  readonly lifecycle: Lifecycle;
  readonly #options: HealthOptions;
  readonly #runners: DependencyCheckRunner[] = [];
  readonly #startedAt = performance.now();
  readonly #listeners = new Set<(ready: boolean) => void>();
  #lastReady = false;
  #requiredPassing = true;
  #polling = false;

  constructor(options: HealthOptions) {
    this.#options = options;
    this.lifecycle = options.lifecycle;
    for (const check of options.checks ?? []) this.addCheck(check);
    this.#lastReady = this.readyNow();
    this.lifecycle.onChange(() => this.#publish());
  }

  addCheck(check: DependencyCheck): void {
    const runner = new DependencyCheckRunner(
      check,
      this.#options.pollIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
      () => this.#settle(),
    );
    this.#runners.push(runner);
    if (this.#polling) runner.startPolling();
  }

  /** Live: the process runs and is not stopped. Never depends on dependencies. */
  live(): boolean {
    return this.lifecycle.state !== "STOPPED";
  }

  /** Ready now, from the lifecycle and the last known result of the required checks. */
  readyNow(): boolean {
    return this.lifecycle.serving && this.#requiredPassing;
  }

  /**
   * The report from each check's latest result, refreshing (once, shared) only the results older
   * than their interval. Synchronous when every result is fresh, which is every probe while
   * polling runs: a probe then costs building one object.
   */
  latest(): HealthReport | Promise<HealthReport> {
    const now = performance.now();
    // A loop, not filter(): no array per probe when every result is fresh.
    let refreshing: Promise<void>[] | undefined;
    for (const runner of this.#runners) {
      if (runner.freshAt(now)) continue;
      refreshing ??= [];
      refreshing.push(runner.run());
    }
    if (!refreshing) return this.#build(now);
    return Promise.all(refreshing).then(() => this.#build(performance.now()));
  }

  /** Runs every check now (joining runs already in flight) and reports. */
  async report(): Promise<HealthReport> {
    await Promise.all(this.#runners.map((runner) => runner.run()));
    return this.#build(performance.now());
  }

  /** Ready: serving and every required check passes (runs the checks). */
  async ready(): Promise<boolean> {
    await this.report();
    return this.readyNow();
  }

  /** Calls `listener(ready)` whenever readiness changes; returns the unsubscribe function. */
  onReadinessChange(listener: (ready: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Runs every check now and then on its interval, so probes and watchers read fresh results. */
  startPolling(): void {
    if (this.#polling) return;
    this.#polling = true;
    for (const runner of this.#runners) runner.startPolling();
  }

  stopPolling(): void {
    this.#polling = false;
    for (const runner of this.#runners) runner.stopPolling();
  }

  #build(now: number): HealthReport {
    const checks: Record<string, CheckResult> = {};
    let anyFailing = false;
    for (const runner of this.#runners) {
      const result = runner.resultAt(now);
      if (!result) continue;
      checks[runner.name] = result;
      if (result.status === "fail") anyFailing = true;
    }
    const failing = !this.lifecycle.serving || !this.#requiredPassing;
    return {
      status: failing ? "fail" : anyFailing ? "warn" : "pass",
      state: this.lifecycle.state,
      service: this.#options.service,
      version: this.#options.version,
      instance: this.#options.instance,
      uptimeSeconds: Math.round((now - this.#startedAt) / 10) / 100,
      checks,
    };
  }

  /** A check finished: recompute readiness from the required checks' latest results. */
  #settle(): void {
    this.#requiredPassing = this.#runners.every((runner) => !runner.required || runner.passing);
    this.#publish();
  }

  #publish(): void {
    const ready = this.readyNow();
    if (ready === this.#lastReady) return;
    this.#lastReady = ready;
    for (const listener of this.#listeners) listener(ready);
  }
}
