import type { FieldViolation } from "../errors/app-error.ts";

// NUL and the other C0 controls except tab, line feed and carriage return: they corrupt logs,
// PDFs and PostgreSQL text (NUL cannot be stored at all). A lone surrogate is not text: it has no
// UTF-8 form, so it would be stored as U+FFFD, silently changed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why `value` cannot be accepted as text whatever the field, if it cannot. */
export function unusableTextProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode text (no lone surrogates)";
  if (CONTROL.test(value)) return "must not contain NUL or other control characters";
  return undefined;
}

/**
 * The first string inside a JSON value (keys included) that is not text, with its path in the
 * wire's own names (`shipping_address.city`, `lines[2].sku`). Depth-bounded: bodies are already
 * bounded in size, and past 64 levels nothing of ours reads the value anyway.
 */
export function findUnusableText(value: unknown, path = "", depth = 0): FieldViolation | undefined {
  if (typeof value === "string") {
    const problem = unusableTextProblem(value);
    return problem ? { field: path || "body", description: problem } : undefined;
  }
  if (depth > 64 || typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnusableText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    const keyProblem = unusableTextProblem(key);
    if (keyProblem) return { field: here, description: `name ${keyProblem}` };
    const found = findUnusableText(child, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}
