import { describe, expect, it } from "vitest";
import { taxOnSubtotal } from "./tax.ts";

describe("taxOnSubtotal", () => {
  it.each([
    { subtotal: 1005n, bps: 500, tax: 50n, why: "50.25 rounds down" },
    { subtotal: 1010n, bps: 500, tax: 51n, why: "50.5 rounds half-up" },
    { subtotal: 1n, bps: 5000, tax: 1n, why: "0.5 rounds half-up" },
    { subtotal: 1n, bps: 4999, tax: 0n, why: "0.4999 rounds down" },
    { subtotal: 999n, bps: 1900, tax: 190n, why: "189.81 rounds up" },
    { subtotal: 8548n, bps: 1900, tax: 1624n, why: "1624.12 rounds down" },
    { subtotal: 123_456n, bps: 0, tax: 0n, why: "a zero rate is no tax" },
    { subtotal: 0n, bps: 1900, tax: 0n, why: "nothing taxed is no tax" },
    { subtotal: 10_000n, bps: 10_000, tax: 10_000n, why: "100% is the subtotal" },
  ])("when the subtotal is $subtotal at $bps bps, then the tax is $tax ($why)", ({ subtotal, bps, tax }) => {
    expect(taxOnSubtotal(subtotal, bps)).toBe(tax);
  });

  it("when subtotal x rate exceeds 2^53, then the tax is still exact", () => {
    expect(taxOnSubtotal(9_007_199_254_740_991n, 1900)).toBe(1_711_367_858_400_788n);
  });
});
