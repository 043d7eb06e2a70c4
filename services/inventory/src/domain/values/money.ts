import type { Violations } from "@orderly/kit/domain";

/** An amount in the currency's minor unit (cents for USD, yen for JPY); never floating point. */
export interface Money {
  amountMinor: number;
  /** ISO 4217, three upper-case letters. */
  currencyCode: string;
}

// ICU's list is the ISO 4217 table Node ships with; it is data, not state, so one copy is enough.
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

export function isCurrencyCode(value: unknown): value is string {
  return typeof value === "string" && /^[A-Z]{3}$/.test(value) && KNOWN_CURRENCIES.has(value);
}

/**
 * Checks a price: a known ISO 4217 code and a whole, non-negative amount of minor units.
 * Problems are recorded under `<field>.currency_code` / `<field>.amount_minor`.
 */
export function checkPrice(value: unknown, field: string, violations: Violations): value is Money {
  if (typeof value !== "object" || value === null) {
    violations.check(field, "is required");
    return false;
  }
  const { amountMinor, currencyCode } = value as Partial<Record<keyof Money, unknown>>;
  const currencyOk = violations.check(
    `${field}.currency_code`,
    isCurrencyCode(currencyCode) ? undefined : "must be an ISO 4217 currency code such as USD or EUR",
  );
  const amountOk = violations.check(
    `${field}.amount_minor`,
    typeof amountMinor !== "number" || !Number.isSafeInteger(amountMinor)
      ? "must be a whole number of minor units"
      : amountMinor < 0
        ? "must not be negative"
        : undefined,
  );
  return currencyOk && amountOk;
}
