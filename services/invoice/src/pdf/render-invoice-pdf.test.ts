import { beforeAll, describe, expect, it } from "vitest";
import type { Invoice } from "../domain/invoice.ts";
import { computeInvoiceTotals, type PricedLine } from "../domain/invoice-totals.ts";
import { InvoiceFonts } from "./invoice-fonts.ts";
import { renderInvoicePdf } from "./render-invoice-pdf.ts";
import type { Seller } from "./seller.ts";
import {
  byteString,
  extractText,
  installedCjkFont,
  pageCount,
  pdftotextAvailable,
} from "./testing/pdf-inspection.ts";

const seller: Seller = {
  name: "Orderly Commerce GmbH",
  address: { line1: "Friedrichstraße 68", city: "Berlin", postalCode: "10117", countryCode: "DE" },
  taxId: "DE123456789",
  email: "billing@orderly.example",
};

function invoice(overrides: Partial<Invoice> = {}, lines?: PricedLine[], currencyCode = "EUR"): Invoice {
  const totals = computeInvoiceTotals(
    currencyCode,
    lines ?? [
      {
        sku: "BOOK-1",
        description: "Notes on the Analytical Engine (2nd ed.)",
        quantity: 2,
        unitPriceMinor: 1999,
      },
      { sku: "PEN-7", description: "Fountain pen", quantity: 1, unitPriceMinor: 4550 },
    ],
    1900,
  );
  return {
    ...totals,
    id: "0190a4c8-1234-7000-8000-000000000001",
    number: "INV-2026-000001",
    orderId: "order-1",
    customer: {
      id: "customer-1",
      name: "Ada Lovelace",
      email: "ada@example.com",
      address: {
        name: "",
        line1: "12 St James's Square",
        line2: "",
        city: "London",
        postalCode: "SW1Y 4JH",
        countryCode: "GB",
      },
    },
    currencyCode,
    status: "ISSUED",
    issuedAt: new Date("2026-03-14T09:30:00Z"),
    voidedAt: null,
    voidReason: null,
    ...overrides,
  };
}

const voided = invoice({
  status: "VOID",
  voidedAt: new Date("2026-03-20T10:00:00Z"),
  voidReason: "order cancelled",
});
const manyLines = Array.from({ length: 80 }, (_, i) => ({
  sku: `SKU-${String(i).padStart(3, "0")}`,
  description: `Item ${i}, described at enough length to need a second line in its column`,
  quantity: 1,
  unitPriceMinor: 100,
}));

describe("renderInvoicePdf", () => {
  let fonts: InvoiceFonts;
  beforeAll(() => {
    fonts = InvoiceFonts.load();
  });
  const render = (value: Invoice, withFonts = fonts) => renderInvoicePdf(value, seller, withFonts);

  it("when an invoice is rendered, then the file is a PDF with one page", async () => {
    const pdf = await render(invoice());
    expect(byteString(pdf).startsWith("%PDF-")).toBe(true);
    expect(byteString(pdf).trimEnd().endsWith("%%EOF")).toBe(true);
    expect(pageCount(pdf)).toBe(1);
  });

  it("when an invoice is rendered, then DejaVu Sans is embedded (as a subset), not a standard font", async () => {
    const file = byteString(await render(invoice()));
    expect(file).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(file).toMatch(/\/FontFile2 /);
    expect(file).not.toContain("/Helvetica");
  });

  it("when an invoice has 80 lines, then it flows over several pages", async () => {
    expect(pageCount(await render(invoice({}, manyLines)))).toBeGreaterThan(1);
  });

  describe.skipIf(!pdftotextAvailable())("as read by pdftotext", () => {
    const flat = (pdf: Uint8Array) => extractText(pdf).replace(/[ \t]+/g, " ");

    it("when an invoice is read, then a person finds seller, buyer, number, date, lines and figures", async () => {
      const text = flat(await render(invoice()));
      for (const expected of [
        "Orderly Commerce GmbH",
        "Friedrichstraße 68",
        "10117 Berlin",
        "Tax ID: DE123456789",
        "INVOICE",
        "INV-2026-000001",
        "2026-03-14",
        "Ada Lovelace",
        "12 St James's Square",
        "SW1Y 4JH London",
        "United Kingdom",
        "BOOK-1 Notes on the Analytical Engine (2nd ed.) 2 €19.99 €39.98",
        "PEN-7 Fountain pen 1 €45.50 €45.50",
        "Subtotal €85.48",
        "Tax (19%) €16.24",
        "Total (EUR) €101.72",
        "Page 1 of 1",
      ]) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain("VOID");
    });

    it("when a void invoice is read, then it says VOID, when and why", async () => {
      const text = flat(await render(voided));
      expect(text).toContain("VOID");
      expect(text).toContain("voided on 2026-03-20");
      expect(text).toContain("Reason: order cancelled");
    });

    it("when an invoice is in yen, then amounts have no decimals", async () => {
      const yen = await render(
        invoice({}, [{ sku: "TEA", description: "", quantity: 3, unitPriceMinor: 333 }], "JPY"),
      );
      const text = flat(yen);
      expect(text).toContain("TEA 3 ¥333 ¥999");
      expect(text).toContain("Tax (19%) ¥190");
      expect(text).toContain("Total (JPY) ¥1,189");
    });

    it("when 80 lines span pages, then every line appears once and pages are numbered", async () => {
      const pdf = await render(invoice({}, manyLines));
      const text = flat(pdf);
      const pages = pageCount(pdf);
      for (const line of manyLines) expect(text.split(line.sku).length - 1).toBe(1);
      expect(text).toContain(`Page ${pages} of ${pages}`);
      expect(text).toContain("Invoice INV-2026-000001 (continued)");
      expect(text).toContain("Total (EUR) €95.20");
    });

    const international = () =>
      invoice({
        customer: {
          ...invoice().customer,
          name: "Zoë Łukasz 東京",
          address: {
            ...invoice().customer.address,
            name: "Ζωή Παπαδοπούλου",
            city: "Москва",
            countryCode: "RU",
          },
        },
      });

    it("when the buyer's name and address are Latin, Greek and Cyrillic, then they read back as written", async () => {
      const text = flat(await render(international()));
      expect(text).toContain("Zoë Łukasz");
      expect(text).toContain("Ζωή Παπαδοπούλου");
      expect(text).toContain("Москва");
    });

    it("when a line's description is the item's name, then the description column shows it", async () => {
      const text = flat(
        await render(
          invoice({}, [{ sku: "MUG-1", description: "Кружка «Orderly»", quantity: 1, unitPriceMinor: 900 }]),
        ),
      );
      expect(text).toContain("MUG-1 Кружка «Orderly» 1 €9.00 €9.00");
    });

    const cjkFont = installedCjkFont();
    it.skipIf(cjkFont === undefined)(
      `when a fallback font is configured (${cjkFont ?? "none on this machine"}), then CJK text reads back too`,
      async () => {
        const text = flat(await render(international(), InvoiceFonts.load(cjkFont)));
        expect(text).toContain("Zoë Łukasz 東京");
      },
    );
  });
});
