import { describe, expect, it } from "vitest";
import { InvoiceFonts } from "./invoice-fonts.ts";
import { addressLines, formatMoney, formatTaxRate } from "./invoice-formatting.ts";
import { fittingSize, type Measure, wrapText } from "./text-wrap.ts";

describe("invoice formatting", () => {
  it.each([
    [1_234_567, "EUR", "€12,345.67"],
    [5, "EUR", "€0.05"],
    [0, "USD", "$0.00"],
    [1235, "JPY", "¥1,235"],
    [1500, "KWD", "KWD 1.500"],
    [1250, "INR", "₹12.50"],
    [Number.MAX_SAFE_INTEGER, "EUR", "€90,071,992,547,409.91"],
  ])("when %i minor units of %s are printed, then they read %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency).replace(/\u00a0/g, " ")).toBe(expected);
  });

  it("when the currency's symbol cannot be drawn, then its ISO code is printed instead", () => {
    expect(formatMoney(1250, "INR", (text) => !text.includes("₹")).replace(/\u00a0/g, " ")).toBe("INR 12.50");
  });

  it.each([
    [1900, "19%"],
    [1950, "19.5%"],
    [725, "7.25%"],
    [5, "0.05%"],
    [0, "0%"],
  ])("when the rate is %i bps, then it reads %s", (bps, expected) => {
    expect(formatTaxRate(bps)).toBe(expected);
  });

  it("when an address is printed, then empty parts are left out and the country is named", () => {
    expect(
      addressLines({ line1: "1 Main St", line2: "", city: "Berlin", postalCode: "10117", countryCode: "DE" }),
    ).toEqual(["1 Main St", "10117 Berlin", "Germany"]);
  });
});

describe("fonts and text runs", () => {
  const fonts = InvoiceFonts.load();

  it("when text is Latin, Greek and Cyrillic, then DejaVu Sans draws it all in one run", () => {
    expect(fonts.runs("Zoë Łukasz Ζωή Москва", "bold")).toEqual([
      { text: "Zoë Łukasz Ζωή Москва", font: "bold" },
    ]);
    expect(fonts.canDraw("Zoë Łukasz Ζωή Москва €₹")).toBe(true);
  });

  it("when text holds CJK and no fallback font is configured, then it cannot all be drawn", () => {
    expect(fonts.canDraw("東京")).toBe(false);
  });
});

/** A stand-in font: every character is 0.5 em wide. */
const halfEm: Measure = (text, size) => [...text].length * size * 0.5;

describe("text measuring and wrapping", () => {
  it("when text is wrapped, then no line is wider than the column and no word is lost", () => {
    const text =
      "Notes on the Analytical Engine, with an extraordinarilylongwordthatcannotfitanywhere at all";
    const lines = wrapText(text, halfEm, 9, 100);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((line) => halfEm(line, 9) <= 100)).toBe(true);
    expect(lines.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
  });

  it("when an amount is too wide for its column, then it is set smaller so that it fits", () => {
    const size = fittingSize("€90,071,992,547,409.91", halfEm, 9, 80);
    expect(size).toBeLessThan(9);
    expect(halfEm("€90,071,992,547,409.91", size)).toBeLessThanOrEqual(80.0001);
  });
});
