/** Upper-case letters, digits and dashes, 1 to 64 characters (the HTTP API's schemas quote it). */
export const SKU_PATTERN = /^[A-Z0-9-]{1,64}$/;

/** Why `value` is not a SKU (upper-case letters, digits and dashes, 1 to 64 characters), if it is not. */
export function skuProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return "is required";
  if (value.length > 64) return "must be at most 64 characters";
  if (!SKU_PATTERN.test(value)) return "must contain only upper-case letters, digits and dashes";
  return undefined;
}
