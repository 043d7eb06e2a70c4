/** Why `value` is not a quantity to reserve (a whole number of units, at least 1), if it is not. */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return "must be a whole number";
  if (value < 1) return "must be at least 1";
  return undefined;
}

/** Why `value` is not a stock delta (a non-zero whole number of units), if it is not. */
export function deltaProblem(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return "must be a whole number";
  if (value === 0) return "must not be zero";
  return undefined;
}
