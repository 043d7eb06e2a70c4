import { type FieldViolation, validationError } from "../errors/app-error.ts";

/**
 * Collects every problem with one request before rejecting it, so a client fixes all of its fields
 * in one round trip instead of one per call. Field paths are snake_case, as in the proto.
 */
export class Violations {
  readonly #list: FieldViolation[] = [];

  add(field: string, description: string): void {
    this.#list.push({ field, description });
  }

  /** Records `problem` against `field` when there is one; returns whether the field was fine. */
  check(field: string, problem: string | undefined): boolean {
    if (problem === undefined) return true;
    this.add(field, problem);
    return false;
  }

  get isEmpty(): boolean {
    return this.#list.length === 0;
  }

  get list(): readonly FieldViolation[] {
    return this.#list;
  }

  /** Throws INVALID_ARGUMENT (reason VALIDATION_FAILED) naming every offending field, if any. */
  throwIfAny(): void {
    if (this.#list.length > 0) throw validationError(this.#list);
  }
}
