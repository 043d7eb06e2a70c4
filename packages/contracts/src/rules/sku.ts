/** A stock-keeping unit: upper-case letters, digits and dashes, 1 to 64 characters. */
export const SKU_PATTERN = /^[A-Z0-9-]{1,64}$/;
export const SKU_MAX_LENGTH = 64;

/** Why `value` is not a SKU, if it is not. */
export function skuProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return "is required";
  if (value.length > SKU_MAX_LENGTH) return `must be at most ${SKU_MAX_LENGTH} characters`;
  if (!SKU_PATTERN.test(value)) return "must contain only upper-case letters, digits and dashes";
  return undefined;
}
