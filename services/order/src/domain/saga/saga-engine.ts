import { type AppError, isTransient, toAppError } from "@orderly/kit/errors";
import type { SagaObserver } from "../ports/saga-observer.port.ts";

/*
 * A small saga engine: a table of steps, each beside its undo, run forward in waves (every step
 * whose `after` steps are done runs at once) and undone in reverse table order. We weighed
 * Temporal/Restate (a workflow server per deployment) and in-process libraries such as node-saga
 * (no persistence, no parallel waves); the order saga needs neither a server nor a framework, only
 * this loop plus the order row it is stored in, so ours stays.
 */

export type StepResult<T> =
  /** The step took effect: `apply` records its result on the subject. */
  | { kind: "done"; apply: (subject: T) => T }
  /**
   * The peer said no for good. `nothingHeld`: the refusal proves no step has taken effect (an
   * all-or-nothing reservation that held nothing), so there is nothing to undo.
   */
  | {
      kind: "rejected";
      reason: string;
      message: string;
      nothingHeld: boolean;
      details?: Record<string, unknown> | undefined;
    };

export type UndoResult = "undone" | "refused";

export interface SagaStep<T> {
  name: string;
  /** Steps that must be done first; steps with the same prerequisites run concurrently. */
  after: readonly string[];
  isDone(subject: T): boolean;
  run(subject: T): Promise<StepResult<T>>;
  undo: {
    name: string;
    /** Idempotent, and a no-op when the step never took effect. */
    run(subject: T, reason: string): Promise<UndoResult>;
    /**
     * What a refusal means. "goods-left": the thing can't be undone because the world moved on (the
     * parcel shipped), so compensation stops and the saga goes forward again. "needs-attention":
     * log it loudly and go on undoing the rest.
     */
    whenRefused: "goods-left" | "needs-attention";
  };
}

export type ForwardOutcome<T> =
  | { kind: "complete"; subject: T }
  | {
      kind: "rejected";
      subject: T;
      reason: string;
      message: string;
      nothingHeld: boolean;
      details?: Record<string, unknown> | undefined;
    }
  | { kind: "transient"; subject: T; step: string; error: AppError };

export type CompensationOutcome =
  | { kind: "undone"; needsAttention: string[] }
  | { kind: "goods-left"; step: string }
  | { kind: "transient"; step: string; error: AppError };

type Attempt<T> =
  | { step: SagaStep<T>; result: StepResult<T> }
  | { step: SagaStep<T>; transient: AppError }
  | { step: SagaStep<T>; failed: AppError };

export class SagaEngine<T> {
  readonly #steps: readonly SagaStep<T>[];
  readonly #observer: SagaObserver;
  readonly #idOf: (subject: T) => string;

  constructor(steps: readonly SagaStep<T>[], observer: SagaObserver, idOf: (subject: T) => string) {
    for (const step of steps) {
      for (const name of step.after) {
        if (!steps.some((s) => s.name === name))
          throw new Error(`saga step ${step.name} waits for unknown ${name}`);
      }
    }
    this.#steps = steps;
    this.#observer = observer;
    this.#idOf = idOf;
  }

  /** Runs every step not yet done, wave by wave, until all are done or one says no or can't answer. */
  async forward(start: T): Promise<ForwardOutcome<T>> {
    let subject = start;
    for (;;) {
      const done = new Set(this.#steps.filter((s) => s.isDone(subject)).map((s) => s.name));
      const wave = this.#steps.filter((s) => !done.has(s.name) && s.after.every((name) => done.has(name)));
      if (wave.length === 0) return { kind: "complete", subject };
      const attempts = await Promise.all(wave.map((step) => this.#attempt(step, subject)));
      let rejection: ForwardOutcome<T> | undefined;
      let transient: { step: string; error: AppError } | undefined;
      // Record every success of the wave first: whatever happens next, it is known to be done.
      for (const attempt of attempts) {
        if ("result" in attempt && attempt.result.kind === "done") subject = attempt.result.apply(subject);
      }
      for (const attempt of attempts) {
        if ("result" in attempt && attempt.result.kind === "rejected") {
          const { reason, message, nothingHeld, details } = attempt.result;
          rejection ??= { kind: "rejected", subject, reason, message, nothingHeld, details };
        } else if ("failed" in attempt) {
          rejection ??= {
            kind: "rejected",
            subject,
            reason: attempt.failed.reason,
            message: attempt.failed.message,
            nothingHeld: false,
          };
        } else if ("transient" in attempt) {
          transient ??= { step: attempt.step.name, error: attempt.transient };
        }
      }
      if (rejection) return { ...rejection, subject };
      if (transient) return { kind: "transient", subject, ...transient };
    }
  }

  /** Undoes every step in reverse table order, one at a time (a later step's undo may need an earlier step intact). */
  async compensate(subject: T, reason: string): Promise<CompensationOutcome> {
    const needsAttention: string[] = [];
    for (const step of [...this.#steps].reverse()) {
      const undo = step.undo;
      const started = performance.now();
      let result: UndoResult;
      try {
        result = await this.#observer.inStep(undo.name, this.#idOf(subject), () => undo.run(subject, reason));
      } catch (error) {
        const appError = toAppError(error);
        const transient = isTransient(error);
        this.#observer.stepFinished(undo.name, transient ? "transient" : "error", seconds(started));
        if (transient) return { kind: "transient", step: undo.name, error: appError };
        // A bug or a peer answer we don't understand: retrying won't help; flag it and go on.
        needsAttention.push(`${undo.name}: ${appError.reason}: ${appError.message}`);
        continue;
      }
      this.#observer.stepFinished(undo.name, result === "undone" ? "ok" : "rejected", seconds(started));
      if (result === "undone") {
        this.#observer.compensated(undo.name);
        continue;
      }
      if (undo.whenRefused === "goods-left") return { kind: "goods-left", step: undo.name };
      needsAttention.push(`${undo.name}: refused`);
    }
    return { kind: "undone", needsAttention };
  }

  async #attempt(step: SagaStep<T>, subject: T): Promise<Attempt<T>> {
    const started = performance.now();
    try {
      const result = await this.#observer.inStep(step.name, this.#idOf(subject), () => step.run(subject));
      this.#observer.stepFinished(step.name, result.kind === "done" ? "ok" : "rejected", seconds(started));
      return { step, result };
    } catch (error) {
      const transient = isTransient(error);
      this.#observer.stepFinished(step.name, transient ? "transient" : "error", seconds(started));
      return transient ? { step, transient: toAppError(error) } : { step, failed: toAppError(error) };
    }
  }
}

function seconds(started: number): number {
  return (performance.now() - started) / 1000;
}
