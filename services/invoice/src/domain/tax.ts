/** 10 000 basis points = 100%. */
const BASIS_POINTS_PER_UNIT = 10_000n;

/**
 * The rounding rule, in one place: tax is computed ONCE, on the subtotal (never per line and then
 * summed), as subtotal x rate / 10 000, rounded HALF-UP to the currency's minor unit. Amounts are
 * integer minor units, so "to the minor unit" means "to an integer": 1 005 cents at 5% is 50.25 ->
 * 50 cents, 1 010 cents at 5% is 50.5 -> 51 cents, 999 yen at 19% is 189.81 -> 190 yen.
 *
 * Why on the subtotal: per-line rounding lets the tax drift from the rate by up to half a minor unit
 * per line, and the invoice's tax must be explainable from its printed subtotal and rate alone.
 * Why half-up (not banker's): it is what customers and most tax authorities expect on an invoice.
 *
 * bigint because subtotal x rate can exceed 2^53 even when both fit in a number. Inputs are
 * non-negative (no discount or credit lines), so floor((x + 5 000) / 10 000) is exactly half-up.
 */
export function taxOnSubtotal(subtotalMinor: bigint, taxRateBps: number): bigint {
  if (subtotalMinor < 0n) throw new RangeError("subtotal must not be negative");
  if (!Number.isInteger(taxRateBps) || taxRateBps < 0)
    throw new RangeError("tax rate must be a non-negative integer");
  const scaled = subtotalMinor * BigInt(taxRateBps);
  return (scaled + BASIS_POINTS_PER_UNIT / 2n) / BASIS_POINTS_PER_UNIT;
}
