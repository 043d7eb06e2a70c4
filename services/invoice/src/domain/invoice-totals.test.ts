import { AppError, Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { computeInvoiceTotals, type PricedLine } from "./invoice-totals.ts";

// A seeded generator: a failing case is reproducible from the seed printed in the test name.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function randomLines(random: () => number): PricedLine[] {
  // Mostly ordinary carts, sometimes very large quantities or prices, to reach past 2^32 and 2^53/10^4.
  const big = random() < 0.2;
  return Array.from({ length: randomInt(random, 1, 25) }, (_, index) => ({
    sku: `SKU-${index}`,
    description: "",
    quantity: big ? randomInt(random, 1, 100_000) : randomInt(random, 1, 20),
    unitPriceMinor: big ? randomInt(random, 0, 1_000_000_000) : randomInt(random, 0, 100_000),
  }));
}

describe("computeInvoiceTotals", () => {
  const seed = 20_260_314;

  it(`when 5000 random invoices are totalled (seed ${seed}), then every figure is exact and adds up`, () => {
    const random = mulberry32(seed);
    // Problems are collected, not asserted one by one: 5000 x a dozen expect() calls would be slow.
    const problems: string[] = [];
    for (let run = 0; run < 5000; run++) {
      const lines = randomLines(random);
      const rate = random() < 0.1 ? 0 : randomInt(random, 0, 10_000);
      const totals = computeInvoiceTotals("EUR", lines, rate);
      const problem = (what: string) => problems.push(`run ${run}: ${what}`);

      let expectedSubtotal = 0n;
      let sumOfLineTotals = 0;
      lines.forEach((line, index) => {
        const expected = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
        expectedSubtotal += expected;
        const lineTotal = totals.lines[index]?.lineTotal.amountMinor ?? Number.NaN;
        sumOfLineTotals += lineTotal;
        if (BigInt(lineTotal) !== expected) problem(`line ${index} total ${lineTotal} != ${expected}`);
      });
      if (totals.lines.length !== lines.length) problem("line count changed");
      if (BigInt(totals.subtotal.amountMinor) !== expectedSubtotal) problem("subtotal is not sum(q x p)");
      if (totals.subtotal.amountMinor !== sumOfLineTotals)
        problem("subtotal is not the sum of the line totals");
      // Half-up: tax x 10^4 lies in (exact - 5000, exact + 5000], checked without any division.
      const offset = BigInt(totals.tax.amountMinor) * 10_000n - expectedSubtotal * BigInt(rate);
      if (offset <= -5000n || offset > 5000n) problem(`tax ${totals.tax.amountMinor} is not half-up`);
      if (totals.total.amountMinor !== totals.subtotal.amountMinor + totals.tax.amountMinor) problem("total");
      const amounts = [totals.subtotal, totals.tax, totals.total, ...totals.lines.map((l) => l.lineTotal)];
      if (!amounts.every((m) => Number.isSafeInteger(m.amountMinor) && m.currencyCode === "EUR"))
        problem("money");
      if (totals.taxRateBps !== rate) problem("rate");
    }
    expect(problems).toEqual([]);
  });

  it("when the invoice of the issue text is totalled, then subtotal 85.48, tax 16.24 and total 101.72", () => {
    const totals = computeInvoiceTotals(
      "EUR",
      [
        { sku: "A", description: "", quantity: 2, unitPriceMinor: 1999 },
        { sku: "B", description: "", quantity: 1, unitPriceMinor: 4550 },
      ],
      1900,
    );
    expect([totals.subtotal.amountMinor, totals.tax.amountMinor, totals.total.amountMinor]).toEqual([
      8548, 1624, 10172,
    ]);
  });

  it("when one line's total would pass 2^53, then INVALID_ARGUMENT names that line", () => {
    const lines = [
      { sku: "A", description: "", quantity: 1, unitPriceMinor: 1 },
      { sku: "B", description: "", quantity: 3_000_000, unitPriceMinor: 3_000_000_000_000 },
    ];
    expect(() => computeInvoiceTotals("EUR", lines, 0)).toThrow(
      expect.objectContaining({
        code: Code.INVALID_ARGUMENT,
        details: expect.objectContaining({ field: "lines[1]" }),
      }),
    );
  });

  it("when only the total with tax would pass 2^53, then INVALID_ARGUMENT names the lines", () => {
    const lines = [{ sku: "A", description: "", quantity: 1, unitPriceMinor: Number.MAX_SAFE_INTEGER - 10 }];
    let error: unknown;
    try {
      computeInvoiceTotals("EUR", lines, 1900);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toMatchObject({ field: "lines" });
  });
});
