import type { FieldViolation } from "../errors/app-error.ts";

// NUL and the other C0 controls except tab, line feed and carriage return: they corrupt logs,
// PDFs and PostgreSQL text (NUL cannot be stored at all). A lone surrogate is not text: it has no
// UTF-8 form, so it would be stored as U+FFFD, silently changed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why `value` cannot be accepted as text whatever the field, if it cannot. */
export function unusableTextProblem(value: string): string | undefined {
  // isWellFormed: native, and false exactly when a surrogate has no partner.
  if (!value.isWellFormed()) return "must be valid Unicode text (no lone surrogates)";
  if (CONTROL.test(value)) return "must not contain NUL or other control characters";
  return undefined;
}

/**
 * The first string inside a JSON value (keys included) that is not text, with its path in the
 * wire's own names (`shipping_address.city`, `lines[2].sku`). Depth-bounded: bodies are already
 * bounded in size, and past 64 levels nothing of ours reads the value anyway.
 */
export function findUnusableText(value: unknown, path = ""): FieldViolation | undefined {
  // Nearly every request is clean: one walk that builds no paths says so; only a bad one pays for
  // the second walk that names the field.
  return containsUnusableText(value, 0) ? locate(value, path, 0) : undefined;
}

function containsUnusableText(value: unknown, depth: number): boolean {
  if (typeof value === "string") return unusableTextProblem(value) !== undefined;
  if (depth > 64 || typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (containsUnusableText(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (unusableTextProblem(key) !== undefined) return true;
    if (containsUnusableText((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

function locate(value: unknown, path: string, depth: number): FieldViolation | undefined {
  if (typeof value === "string") {
    const problem = unusableTextProblem(value);
    return problem ? { field: path || "body", description: problem } : undefined;
  }
  if (depth > 64 || typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = locate(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    const keyProblem = unusableTextProblem(key);
    if (keyProblem) return { field: here, description: `name ${keyProblem}` };
    const found = locate(child, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}
