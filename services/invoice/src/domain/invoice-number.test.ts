import { describe, expect, it } from "vitest";
import { formatInvoiceNumber, numberingYearOf } from "./invoice-number.ts";

describe("invoice numbers", () => {
  it("when the first invoice of 2026 is numbered, then it reads INV-2026-000001", () => {
    expect(formatInvoiceNumber("INV", 2026, 1)).toBe("INV-2026-000001");
  });

  it("when a year passes a million invoices, then numbers grow instead of wrapping", () => {
    expect(formatInvoiceNumber("INV", 2026, 1_000_000)).toBe("INV-2026-1000000");
  });

  it("when an instant is New Year's Eve in New York but already January in UTC, then it counts for the UTC year", () => {
    expect(numberingYearOf(new Date("2027-01-01T03:00:00Z"))).toBe(2027);
    expect(numberingYearOf(new Date("2026-12-31T23:59:59.999Z"))).toBe(2026);
  });
});
