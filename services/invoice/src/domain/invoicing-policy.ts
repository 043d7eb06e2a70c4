import { isIsoCurrencyCode } from "./currency.ts";

/** What this invoicing entity is configured to do; built once from config at start. */
export interface InvoicingPolicy {
  /** The ISO 4217 codes this entity bills in. */
  readonly acceptedCurrencies: ReadonlySet<string>;
}

export interface InvoicingPolicyConfig {
  acceptedCurrencies: Iterable<string>;
}

/**
 * Validates the configured values; a wrong value is a startup bug, so it throws a plain RangeError.
 * Tax is not configured: it follows the ship-to country (tax-rates.ts).
 */
export function createInvoicingPolicy(config: InvoicingPolicyConfig): InvoicingPolicy {
  const acceptedCurrencies = new Set(config.acceptedCurrencies);
  if (acceptedCurrencies.size === 0) throw new RangeError("at least one accepted currency is required");
  for (const code of acceptedCurrencies) {
    if (!isIsoCurrencyCode(code))
      throw new RangeError(`accepted currency ${JSON.stringify(code)} is not an ISO 4217 code`);
  }
  return Object.freeze({ acceptedCurrencies });
}
