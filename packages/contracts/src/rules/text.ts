export interface TextLimits {
  /** 0 means optional: empty or only white space is then fine. */
  min: number;
  max: number;
}

// C0/C1 controls (NUL among them) corrupt logs, PDFs and PostgreSQL text; a lone surrogate is not
// text at all and cannot be stored as UTF-8.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `value` is not text within `limits`, if it is not. Lengths count code points (what a person
 * sees as characters); text that is only white space counts as missing.
 */
export function textProblem(value: unknown, limits: TextLimits): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.trim().length === 0) return limits.min > 0 ? "is required" : undefined;
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode text";
  if (CONTROL.test(value)) return "must not contain control characters";
  const length = charLength(value);
  if (length < limits.min) return `must be at least ${limits.min} characters`;
  if (length > limits.max) return `must be at most ${limits.max} characters`;
  return undefined;
}

/** Length in code points, not UTF-16 units, so limits mean what users count. */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
