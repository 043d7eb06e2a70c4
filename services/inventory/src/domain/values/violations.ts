import { type FieldViolation, validationError } from "@orderly/kit/errors";

/**
 * Collects every problem with a request before rejecting it, so a client fixes all of its fields in
 * one round trip instead of one per call.
 */
export class Violations {
  readonly #list: FieldViolation[] = [];

  /** Records `problem` against `field` when there is one; returns whether the field was fine. */
  check(field: string, problem: string | undefined): boolean {
    if (problem === undefined) return true;
    this.#list.push({ field, description: problem });
    return false;
  }

  get isEmpty(): boolean {
    return this.#list.length === 0;
  }

  /** Throws INVALID_ARGUMENT (reason VALIDATION_FAILED) naming every offending field. */
  throwIfAny(): void {
    if (this.#list.length > 0) throw validationError(this.#list);
  }
}
