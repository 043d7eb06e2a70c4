/**
 * Why `value` is not a stock delta (a non-zero whole number of units), if it is not. Inventory's own
 * rule: deltas count warehouse stock, not order lines, so the shared line-quantity cap does not apply.
 */
export function deltaProblem(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return "must be a whole number";
  if (value === 0) return "must not be zero";
  return undefined;
}
