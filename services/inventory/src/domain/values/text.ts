export interface TextLimits {
  min: number;
  max: number;
}

/**
 * Why `value` is not text of the given length, if it is not. Lengths count code points (what a
 * person sees as characters), and text that is only whitespace counts as missing.
 */
export function textProblem(value: unknown, limits: TextLimits): string | undefined {
  if (typeof value !== "string" || value.trim().length === 0) {
    return limits.min > 0 ? "is required" : undefined;
  }
  const length = [...value].length;
  if (length < limits.min) return `must be at least ${limits.min} characters`;
  if (length > limits.max) return `must be at most ${limits.max} characters`;
  return undefined;
}
