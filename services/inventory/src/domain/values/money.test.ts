import { Violations } from "@orderly/kit/domain";
import { describe, expect, it } from "vitest";
import { violatedFields } from "../testing/caught.ts";
import { checkPrice, isCurrencyCode } from "./money.ts";

function check(price: unknown): void {
  const violations = new Violations();
  checkPrice(price, "unit_price", violations);
  violations.throwIfAny();
}

describe("money", () => {
  it("when a price is whole minor units of a known currency, then it is accepted", () => {
    expect(() => check({ amountMinor: 1999, currencyCode: "EUR" })).not.toThrow();
    expect(() => check({ amountMinor: 0, currencyCode: "JPY" })).not.toThrow();
  });

  it("when the currency is not ISO 4217, then unit_price.currency_code is named", async () => {
    for (const currencyCode of ["usd", "ABC", "US", "EURO", ""]) {
      expect(await violatedFields(() => check({ amountMinor: 1, currencyCode }))).toEqual([
        "unit_price.currency_code",
      ]);
    }
  });

  it("when the amount is fractional, negative or beyond the safe range, then unit_price.amount_minor is named", async () => {
    for (const amountMinor of [19.99, -1, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) {
      expect(await violatedFields(() => check({ amountMinor, currencyCode: "USD" }))).toEqual([
        "unit_price.amount_minor",
      ]);
    }
  });

  it("when the price is missing, then unit_price is named", async () => {
    expect(await violatedFields(() => check(undefined))).toEqual(["unit_price"]);
  });

  it("when asked about common codes, then the ISO 4217 table knows them", () => {
    expect(["USD", "EUR", "JPY", "GBP", "CHF"].every(isCurrencyCode)).toBe(true);
  });
});
