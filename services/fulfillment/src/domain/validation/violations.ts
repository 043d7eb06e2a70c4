import { type FieldViolation, validationError } from "@orderly/kit/errors";

/** Collects every problem with one request, so the caller can fix them all in one round trip. */
export class Violations {
  readonly #list: FieldViolation[] = [];

  add(field: string, description: string): void {
    this.#list.push({ field, description });
  }

  /** Throws INVALID_ARGUMENT naming every offending field, if there is any. */
  throwIfAny(): void {
    if (this.#list.length > 0) throw validationError(this.#list);
  }
}

/** A present string with something other than white space in it. */
export function isFilled(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

/** Length in characters (code points), not UTF-16 units, so limits mean what users count. */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
