const ISO_CODE = /^[A-Z]{3}$/;

/** True for an ISO 4217 code this runtime knows (upper case, as on the wire). */
export function isIsoCurrencyCode(code: string): boolean {
  return ISO_CODE.test(code) && Intl.supportedValuesOf("currency").includes(code);
}

/** How many digits the minor unit has: 2 for USD and EUR, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currencyCode: string): number {
  const options = new Intl.NumberFormat("en", {
    style: "currency",
    currency: currencyCode,
  }).resolvedOptions();
  return options.maximumFractionDigits ?? 2;
}
