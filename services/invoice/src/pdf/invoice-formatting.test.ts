import { describe, expect, it } from "vitest";
import { textWidth } from "./helvetica-metrics.ts";
import { addressLines, formatMoney, formatTaxRate } from "./invoice-formatting.ts";
import { fittingSize, wrapText } from "./text-wrap.ts";

describe("invoice formatting", () => {
  it.each([
    [1_234_567, "EUR", "€12,345.67"],
    [5, "EUR", "€0.05"],
    [0, "USD", "$0.00"],
    [1235, "JPY", "¥1,235"],
    [1500, "KWD", "KWD 1.500"],
    [1250, "INR", "INR 12.50"],
    [Number.MAX_SAFE_INTEGER, "EUR", "€90,071,992,547,409.91"],
  ])("when %i minor units of %s are printed, then they read %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency).replace(/\u00a0/g, " ")).toBe(expected);
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

describe("text measuring and wrapping", () => {
  it("when Helvetica text is measured, then it uses the font's advance widths", () => {
    // H 722 + e 556 + l 222 + l 222 + o 556 = 2278 thousandths of an em
    expect(textWidth("Hello", "regular", 10)).toBeCloseTo(22.78, 5);
    expect(textWidth("Hello", "bold", 10)).toBeGreaterThan(textWidth("Hello", "regular", 10));
  });

  it.each([
    ["@", 10.15, 9.75],
    ["€", 5.56, 5.56],
    ["ÿ", 5.0, 5.56],
  ])(
    "when %s is measured, then regular and bold match the AFM widths (the tables line up to code 255)",
    (char, regular, bold) => {
      expect(textWidth(char, "regular", 10)).toBeCloseTo(regular, 5);
      expect(textWidth(char, "bold", 10)).toBeCloseTo(bold, 5);
    },
  );

  it("when text is wrapped, then no line is wider than the column and no word is lost", () => {
    const text =
      "Notes on the Analytical Engine, with an extraordinarilylongwordthatcannotfitanywhere at all";
    const lines = wrapText(text, "regular", 9, 100);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((line) => textWidth(line, "regular", 9) <= 100)).toBe(true);
    expect(lines.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
  });

  it("when an amount is too wide for its column, then it is set smaller so that it fits", () => {
    const size = fittingSize("€90,071,992,547,409.91", "regular", 9, 80);
    expect(size).toBeLessThan(9);
    expect(textWidth("€90,071,992,547,409.91", "regular", size)).toBeLessThanOrEqual(80.0001);
  });
});
