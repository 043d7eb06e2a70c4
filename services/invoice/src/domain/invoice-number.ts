const SEQUENCE_DIGITS = 6;

/**
 * The one series this entity numbers in today. Numbers count per series and year, so a later series
 * (credit notes, say) gets its own gapless run without touching this one.
 */
export const INVOICE_SERIES = "INV";

/**
 * INV-2026-000001. The sequence is padded to six digits; a year with more than 999 999 invoices
 * simply gets longer numbers (never truncated, so never ambiguous).
 */
export function formatInvoiceNumber(series: string, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`invalid invoice sequence ${sequence}`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw new RangeError(`invalid invoice year ${year}`);
  return `${series}-${year}-${String(sequence).padStart(SEQUENCE_DIGITS, "0")}`;
}

/**
 * Numbers restart every calendar year, counted in UTC so that every replica agrees on which year
 * an instant belongs to whatever its local time zone.
 */
export function numberingYearOf(instant: Date): number {
  return instant.getUTCFullYear();
}
