import { Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { createInvoicingPolicy } from "../invoicing-policy.ts";
import type { InvoicePdfRenderer } from "../ports/invoice-pdf-renderer.port.ts";
import { appErrorOf } from "../testing/app-error-of.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { inlineNumbering } from "../testing/inline-numbering.ts";
import { FixedClock, issueInput } from "../testing/invoice-fixtures.ts";
import { makeGetInvoice } from "./get-invoice.use-case.ts";
import { makeGetInvoicePdf } from "./get-invoice-pdf.use-case.ts";
import { makeIssueInvoice } from "./issue-invoice.use-case.ts";

const renderer: InvoicePdfRenderer = { render: async (invoice) => new TextEncoder().encode(invoice.number) };
const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR"] });
const clock = new FixedClock(new Date("2026-03-14T09:30:00Z"));
const stalled = { numberSoon: async () => {} };

describe("GetInvoicePdf", () => {
  it("when the invoice is not numbered yet, then it waits for a numbering pass and renders the numbered invoice", async () => {
    const invoices = new InMemoryInvoiceRepository();
    const issued = await makeIssueInvoice({ invoices, clock, policy, numbering: stalled })(issueInput());
    expect(issued.number).toBe("");
    const getInvoicePdf = makeGetInvoicePdf({
      getInvoice: makeGetInvoice({ invoices }),
      invoices,
      numbering: inlineNumbering(invoices),
      renderer,
    });
    const { invoice, pdf } = await getInvoicePdf({ id: issued.id });
    expect(invoice.number).toBe("INV-2026-000001");
    expect(new TextDecoder().decode(pdf)).toBe("INV-2026-000001");
  });

  it("when the numberer has still not numbered it, then FAILED_PRECONDITION INVOICE_NOT_YET_NUMBERED, not a PDF without a number", async () => {
    const invoices = new InMemoryInvoiceRepository();
    const issued = await makeIssueInvoice({ invoices, clock, policy, numbering: stalled })(issueInput());
    const getInvoicePdf = makeGetInvoicePdf({
      getInvoice: makeGetInvoice({ invoices }),
      invoices,
      numbering: stalled,
      renderer,
    });
    const error = await appErrorOf(getInvoicePdf({ id: issued.id }));
    expect([error.code, error.reason]).toEqual([Code.FAILED_PRECONDITION, "INVOICE_NOT_YET_NUMBERED"]);
  });
});
