import { validationError } from "@orderly/kit/errors";
import type { InvoiceLine, InvoiceTotals, Money } from "./invoice.ts";
import { taxOnSubtotal } from "./tax.ts";

/** A validated line before its total is known. */
export interface PricedLine {
  readonly sku: string;
  readonly description: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact totals: line total = quantity x unit price, subtotal = sum of line totals, tax per
 * tax.ts (once on the subtotal, half-up), total = subtotal + tax. All arithmetic is bigint; any
 * figure that would not fit a safe JS integer (and so an int64 on the wire without loss) is an
 * INVALID_ARGUMENT naming the line or `lines`, never a wrong number.
 */
export function computeInvoiceTotals(
  currencyCode: string,
  lines: readonly PricedLine[],
  taxRateBps: number,
): InvoiceTotals {
  const money = (amount: bigint): Money => ({ currencyCode, amountMinor: Number(amount) });
  let subtotal = 0n;
  const priced: InvoiceLine[] = lines.map((line, index) => {
    const lineTotal = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
    if (lineTotal > MAX_SAFE) {
      throw validationError({
        field: `lines[${index}]`,
        description: "quantity x unit_price exceeds the largest amount an invoice can carry",
      });
    }
    subtotal += lineTotal;
    return {
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPrice: money(BigInt(line.unitPriceMinor)),
      lineTotal: money(lineTotal),
    };
  });
  const tax = taxOnSubtotal(subtotal, taxRateBps);
  const total = subtotal + tax;
  if (total > MAX_SAFE) {
    throw validationError({
      field: "lines",
      description: "the invoice total exceeds the largest amount an invoice can carry",
    });
  }
  return { lines: priced, subtotal: money(subtotal), taxRateBps, tax: money(tax), total: money(total) };
}
