import { type FieldViolation, validationError } from "@orderly/kit/errors";

// Control characters have no business in names, addresses or SKUs, and would corrupt the PDF.
const CONTROL_CHARACTERS = /\p{Cc}/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Canonical 8-4-4-4-12 hex form, either case. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export interface TextRule {
  required: boolean;
  maxLength: number;
}

/**
 * Collects every violation of one request so that a caller learns all of them at once; `throwIfAny`
 * raises the kit's INVALID_ARGUMENT naming each field (snake_case paths, as in the proto).
 */
export class FieldViolations {
  readonly #list: FieldViolation[] = [];

  add(field: string, description: string): void {
    this.#list.push({ field, description });
  }

  get isEmpty(): boolean {
    return this.#list.length === 0;
  }

  throwIfAny(): void {
    if (this.#list.length > 0) throw validationError(this.#list);
  }

  /** Trimmed text, or "" (with a violation recorded) when it breaks the rule. */
  text(field: string, value: string | undefined, rule: TextRule): string {
    const trimmed = (value ?? "").trim();
    if (trimmed === "") {
      if (rule.required) this.add(field, "is required");
      return "";
    }
    if ([...trimmed].length > rule.maxLength) {
      this.add(field, `must be at most ${rule.maxLength} characters`);
    } else if (CONTROL_CHARACTERS.test(trimmed)) {
      this.add(field, "must not contain control characters");
    }
    return trimmed;
  }

  /** An integer within [min, Number.MAX_SAFE_INTEGER], from a JS number or an int64 bigint. */
  integer(field: string, value: number | bigint | undefined, min: number): number {
    if (value === undefined) {
      this.add(field, "is required");
      return 0;
    }
    const safe =
      typeof value === "bigint" ? bigintToSafe(value) : Number.isSafeInteger(value) ? value : undefined;
    if (safe === undefined) {
      this.add(field, `must be an integer between ${min} and ${Number.MAX_SAFE_INTEGER}`);
      return 0;
    }
    if (safe < min) {
      this.add(field, `must be at least ${min}`);
      return 0;
    }
    return safe;
  }

  uuid(field: string, value: string | undefined): string {
    const trimmed = (value ?? "").trim();
    if (trimmed === "") this.add(field, "is required");
    else if (!isUuid(trimmed)) this.add(field, "must be a UUID");
    return trimmed.toLowerCase();
  }
}

function bigintToSafe(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : undefined;
}
