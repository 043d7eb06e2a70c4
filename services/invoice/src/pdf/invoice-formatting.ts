import { minorUnitDigits } from "../domain/currency.ts";

/**
 * "€1,234.56", "¥1,235", "KWD 1.500" from integer minor units, without ever going through a float:
 * the amount is turned into an exact decimal string that Intl formats as is. When the currency's
 * symbol cannot be drawn (`canDraw`: the PDF's fonts lack a glyph), the ISO code is shown instead.
 */
export function formatMoney(
  amountMinor: number,
  currencyCode: string,
  canDraw: (text: string) => boolean = () => true,
): string {
  const digits = minorUnitDigits(currencyCode);
  const magnitude = String(Math.abs(amountMinor)).padStart(digits + 1, "0");
  const decimal =
    (amountMinor < 0 ? "-" : "") +
    (digits === 0 ? magnitude : `${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`);
  const format = (currencyDisplay: "symbol" | "code") =>
    new Intl.NumberFormat("en", {
      style: "currency",
      currency: currencyCode,
      currencyDisplay,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(decimal as Intl.StringNumericLiteral);
  const withSymbol = format("symbol");
  return canDraw(withSymbol) ? withSymbol : format("code");
}

/** 1900 -> "19%", 1950 -> "19.5%", 725 -> "7.25%". */
export function formatTaxRate(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction === "" ? `${whole}%` : `${whole}.${fraction}%`;
}

export function formatQuantity(quantity: number): string {
  return new Intl.NumberFormat("en").format(quantity);
}

/** ISO 8601 calendar date in UTC (2026-03-14): unambiguous in every country, and the numbering year's clock. */
export function formatDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The postal lines of an address, without its name: street lines, "postal code city", country. */
export function addressLines(address: PostalAddress): string[] {
  const country =
    new Intl.DisplayNames(["en"], { type: "region" }).of(address.countryCode) ?? address.countryCode;
  const cityLine = `${address.postalCode ?? ""} ${address.city}`.trim();
  return [address.line1, address.line2 ?? "", cityLine, country].filter((line) => line !== "");
}

/** The buyer's address and the seller's config both fit this shape. */
export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly postalCode?: string | undefined;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
}
