/**
 * VAT by ship-to country, in basis points (1900 = 19%): the one table of tax rules.
 *
 * B2C distance sales inside the EU are taxed at the destination country's rate (One-Stop Shop,
 * since July 2021), so a buyer in an EU member state pays that state's standard rate. Goods shipped
 * outside the EU are exports: zero-rated (0), the buyer's own import VAT being the carrier's and the
 * customs' business. Standard rates as in force in late 2026; a rate change is a one-line edit here,
 * and issued invoices keep the rate they were issued with.
 *
 * Not modelled: reduced rates per product category (books, food), B2B reverse charge, and special
 * territories that share a member state's ISO code but sit outside the EU VAT area (Canary Islands,
 * Ceuta, Melilla in ES; Mount Athos in GR; Büsingen and Heligoland in DE).
 */
export const EU_STANDARD_VAT_BPS: Readonly<Record<string, number>> = Object.freeze({
  AT: 2000,
  BE: 2100,
  BG: 2000,
  CY: 1900,
  CZ: 2100,
  DE: 1900,
  DK: 2500,
  EE: 2400, // 22% -> 24% on 1 July 2025
  ES: 2100,
  FI: 2550, // 24% -> 25.5% on 1 September 2024
  FR: 2000,
  GR: 2400, // ISO GR; "EL" in EU VAT numbers
  HR: 2500,
  HU: 2700,
  IE: 2300,
  IT: 2200,
  LT: 2100,
  LU: 1700,
  LV: 2100,
  MT: 1800,
  NL: 2100,
  PL: 2300,
  PT: 2300,
  RO: 2100, // 19% -> 21% on 1 August 2025
  SE: 2500,
  SI: 2200,
  SK: 2300, // 20% -> 23% on 1 January 2025
});

/**
 * Territories with their own ISO code that belong to a member state's VAT area: Monaco is taxed as
 * France. (Åland, AX, is outside the EU VAT area and so zero-rated like any export.)
 */
const IN_MEMBER_STATE_VAT_AREA: Readonly<Record<string, string>> = Object.freeze({ MC: "FR" });

/** The VAT rate of goods shipped to `countryCode` (ISO 3166-1 alpha-2): the EU rate, else 0 (export). */
export function taxRateBpsFor(countryCode: string): number {
  const vatArea = IN_MEMBER_STATE_VAT_AREA[countryCode] ?? countryCode;
  return EU_STANDARD_VAT_BPS[vatArea] ?? 0;
}
