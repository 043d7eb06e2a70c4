import { performance } from "node:perf_hooks";

/**
 * How long each start-up phase took, for the "serving" log line: an operator reading one line
 * sees whether a slow start was module loading, the database, migrations or a listener. `load` is
 * everything before Service.create (Node, the telemetry entry and the application's imports),
 * measured from the process's time origin; each later phase from the end of the one before.
 * `startupCpuMs` is the process's CPU time (user + system, all threads) up to the summary: on a
 * busy machine wall time says how long the scheduler made it wait, CPU time how much work the
 * start-up was.
 */
export class StartupPhases {
  readonly #phases: Record<string, number> = {};
  #last: number;

  constructor(now: number = performance.now()) {
    this.#phases.load = round(now);
    this.#last = now;
  }

  /** Ends the phase called `name` now (a repeated name adds up). */
  end(name: string, now: number = performance.now()): void {
    this.#phases[name] = round((this.#phases[name] ?? 0) + now - this.#last);
    this.#last = now;
  }

  /** Phase durations in ms, in the order they ended, and the total since the process started. */
  summary(
    now: number = performance.now(),
    cpu: NodeJS.CpuUsage = process.cpuUsage(),
  ): { phasesMs: Record<string, number>; startupMs: number; startupCpuMs: number } {
    return {
      phasesMs: { ...this.#phases },
      startupMs: round(now),
      startupCpuMs: round((cpu.user + cpu.system) / 1000),
    };
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
