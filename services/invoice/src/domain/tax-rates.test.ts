import { isCountryCode } from "@orderly/contracts/rules";
import { describe, expect, it } from "vitest";
import { EU_STANDARD_VAT_BPS, taxRateBpsFor } from "./tax-rates.ts";

describe("tax by ship-to country", () => {
  it.each([
    ["DE", 1900],
    ["FR", 2000],
    ["IT", 2200],
    ["ES", 2100],
    ["NL", 2100],
    ["AT", 2000],
    ["BE", 2100],
    ["PL", 2300],
    ["SE", 2500],
    ["DK", 2500],
    ["FI", 2550],
    ["IE", 2300],
    ["PT", 2300],
    ["GR", 2400],
    ["CZ", 2100],
    ["HU", 2700],
    ["RO", 2100],
    ["SK", 2300],
    ["SI", 2200],
    ["HR", 2500],
    ["BG", 2000],
    ["LT", 2100],
    ["LV", 2100],
    ["EE", 2400],
    ["LU", 1700],
    ["MT", 1800],
    ["CY", 1900],
  ])("when goods ship to EU member %s, then its standard rate applies (%i bps)", (country, bps) => {
    expect(taxRateBpsFor(country)).toBe(bps);
  });

  it.each(["GB", "US", "CH", "NO", "JP", "CN", "AU", "IS", "TR", "AX", "GL"])(
    "when goods ship to %s, outside the EU, then they are a zero-rated export",
    (country) => {
      expect(taxRateBpsFor(country)).toBe(0);
    },
  );

  it("when goods ship to Monaco, then French VAT applies (Monaco is in the French VAT area)", () => {
    expect(taxRateBpsFor("MC")).toBe(2000);
  });

  it("when the table is read, then it holds exactly the 27 member states, each an assigned ISO code", () => {
    const countries = Object.keys(EU_STANDARD_VAT_BPS);
    expect(countries).toHaveLength(27);
    expect(countries.filter((code) => !isCountryCode(code))).toEqual([]);
  });
});
