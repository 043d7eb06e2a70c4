import type { Lifecycle, LifecycleState } from "./lifecycle.ts";

/** A named dependency check, for example the database answering `select 1`. */
export interface DependencyCheck {
  name: string;
  /** Required checks gate readiness; optional ones only show in the report. Default true. */
  required?: boolean;
  /** Default 2000 ms; a check that takes longer fails. */
  timeoutMs?: number;
  check(signal: AbortSignal): Promise<void>;
}

export interface CheckResult {
  status: "pass" | "fail";
  required: boolean;
  latencyMs: number;
  /** Why it failed; never secrets (messages only). */
  error?: string;
}

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
  /** How often required checks are re-run while serving, to notify watchers. Default 5000 ms. */
  pollIntervalMs?: number;
}

/**
 * Lifecycle state plus dependency checks: the single source for /health, /health/ready,
 * grpc.health.v1 Check/Watch, and the Consul TTL check.
 */
export class Health {
  readonly lifecycle: Lifecycle;
  readonly #options: HealthOptions;
  readonly #checks: DependencyCheck[];
  readonly #startedAt = performance.now();
  readonly #listeners = new Set<(ready: boolean) => void>();
  #lastReady = false;
  #requiredPassing = true;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HealthOptions) {
    this.#options = options;
    this.lifecycle = options.lifecycle;
    this.#checks = [...(options.checks ?? [])];
    this.#lastReady = this.readyNow();
    this.lifecycle.onChange(() => this.#publish());
  }

  addCheck(check: DependencyCheck): void {
    this.#checks.push(check);
  }

  /** Live: the process runs and is not stopped. Never depends on dependencies. */
  live(): boolean {
    return this.lifecycle.state !== "STOPPED";
  }

  /** Ready now, from the lifecycle and the last known result of the required checks. */
  readyNow(): boolean {
    return this.lifecycle.serving && this.#requiredPassing;
  }

  /** Runs every check and reports; also refreshes what readyNow() and watchers see. */
  async report(): Promise<HealthReport> {
    const entries = await Promise.all(this.#checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const checks = Object.fromEntries(entries);
    this.#requiredPassing = entries.every(([, r]) => !r.required || r.status === "pass");
    this.#publish();
    const serving = this.lifecycle.serving;
    const anyFailing = entries.some(([, r]) => r.status === "fail");
    return {
      status: !serving || !this.#requiredPassing ? "fail" : anyFailing ? "warn" : "pass",
      state: this.lifecycle.state,
      service: this.#options.service,
      version: this.#options.version,
      instance: this.#options.instance,
      uptimeSeconds: Math.round((performance.now() - this.#startedAt) / 10) / 100,
      checks,
    };
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

  /** Re-runs the checks periodically so watchers learn of a dependency going down. */
  startPolling(): void {
    if (this.#timer) return;
    const interval = this.#options.pollIntervalMs ?? 5000;
    this.#timer = setInterval(() => void this.report().catch(() => undefined), interval);
    this.#timer.unref();
  }

  stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #publish(): void {
    const ready = this.readyNow();
    if (ready === this.#lastReady) return;
    this.#lastReady = ready;
    for (const listener of this.#listeners) listener(ready);
  }
}

async function runCheck(check: DependencyCheck): Promise<CheckResult> {
  const required = check.required ?? true;
  const started = performance.now();
  const signal = AbortSignal.timeout(check.timeoutMs ?? 2000);
  try {
    await Promise.race([
      check.check(signal),
      new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(new Error("check timed out")), { once: true }),
      ),
    ]);
    return { status: "pass", required, latencyMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: "fail", required, latencyMs: elapsed(started), error: message };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
