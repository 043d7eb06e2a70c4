/** Units of one SKU on one order line (and so in one reservation or shipment line). */
export const MAX_LINE_QUANTITY = 1000;
/** Lines of one order, reservation, invoice or shipment; one line per SKU. */
export const MAX_LINES = 100;

/** Why `value` is not a line quantity (a whole number from 1 to 1000), if it is not. */
export function lineQuantityProblem(value: unknown): string | undefined {
  const n = typeof value === "bigint" ? value : typeof value === "number" ? value : undefined;
  if (
    n === undefined ||
    (typeof n === "number" && !Number.isSafeInteger(n)) ||
    n < 1 ||
    n > MAX_LINE_QUANTITY
  )
    return `must be a whole number from 1 to ${MAX_LINE_QUANTITY}`;
  return undefined;
}

/** Why `lines` is not a list of 1 to 100 lines, if it is not. */
export function lineCountProblem(lines: readonly unknown[]): string | undefined {
  if (lines.length === 0) return "must contain at least one line";
  if (lines.length > MAX_LINES) return `must contain at most ${MAX_LINES} lines`;
  return undefined;
}
