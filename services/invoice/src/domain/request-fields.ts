import { type TextLimits, textProblem } from "@orderly/contracts/rules";
import { isUuid, type Violations } from "@orderly/kit/domain";

/*
 * Readers of one request field each: they record what is wrong under the field's snake_case path
 * (so a caller learns every problem at once) and return a usable value either way. Text follows the
 * shared text rule (@orderly/contracts/rules): a NUL, any other control character or a lone
 * surrogate anywhere in it is INVALID_ARGUMENT naming the field, never stored or printed.
 */

/** The text trimmed, or "" (with a violation recorded) when it breaks the rule. */
export function readText(
  v: Violations,
  field: string,
  value: string | undefined,
  limits: TextLimits,
): string {
  const raw = value ?? "";
  return v.check(field, textProblem(raw, limits)) ? raw.trim() : "";
}

/** An integer within [min, Number.MAX_SAFE_INTEGER], from a JS number or an int64 bigint. */
export function readInteger(
  v: Violations,
  field: string,
  value: number | bigint | undefined,
  min: number,
): number {
  if (value === undefined) {
    v.add(field, "is required");
    return 0;
  }
  const safe =
    typeof value === "bigint" ? bigintToSafe(value) : Number.isSafeInteger(value) ? value : undefined;
  if (safe === undefined) {
    v.add(field, `must be an integer between ${min} and ${Number.MAX_SAFE_INTEGER}`);
    return 0;
  }
  if (safe < min) {
    v.add(field, `must be at least ${min}`);
    return 0;
  }
  return safe;
}

/** A UUID in canonical lower case. */
export function readUuid(v: Violations, field: string, value: string | undefined): string {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") v.add(field, "is required");
  else if (!isUuid(trimmed)) v.add(field, "must be a UUID");
  return trimmed.toLowerCase();
}

function bigintToSafe(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : undefined;
}
