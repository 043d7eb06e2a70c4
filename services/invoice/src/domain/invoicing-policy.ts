import { isIsoCurrencyCode } from "./currency.ts";

/** What this invoicing entity is configured to do; built once from config at start. */
export interface InvoicingPolicy {
  /** Basis points applied to every new invoice's subtotal: 1900 = 19%. */
  readonly taxRateBps: number;
  /** The ISO 4217 codes this entity bills in. */
  readonly acceptedCurrencies: ReadonlySet<string>;
}

export interface InvoicingPolicyConfig {
  taxRateBps: number;
  acceptedCurrencies: Iterable<string>;
}

/** Validates the configured values; a wrong value is a startup bug, so it throws a plain RangeError. */
export function createInvoicingPolicy(config: InvoicingPolicyConfig): InvoicingPolicy {
  if (!Number.isInteger(config.taxRateBps) || config.taxRateBps < 0 || config.taxRateBps > 10_000) {
    throw new RangeError(
      `tax rate must be an integer between 0 and 10000 basis points, got ${config.taxRateBps}`,
    );
  }
  const acceptedCurrencies = new Set(config.acceptedCurrencies);
  if (acceptedCurrencies.size === 0) throw new RangeError("at least one accepted currency is required");
  for (const code of acceptedCurrencies) {
    if (!isIsoCurrencyCode(code))
      throw new RangeError(`accepted currency ${JSON.stringify(code)} is not an ISO 4217 code`);
  }
  return Object.freeze({ taxRateBps: config.taxRateBps, acceptedCurrencies });
}
