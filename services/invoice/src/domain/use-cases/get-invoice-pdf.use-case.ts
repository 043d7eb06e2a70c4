import type { Invoice } from "../invoice.ts";
import { invoiceNotYetNumbered } from "../invoice-errors.ts";
import type { InvoiceNumbering } from "../ports/invoice-numbering.port.ts";
import type { InvoicePdfRenderer } from "../ports/invoice-pdf-renderer.port.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import type { GetInvoice, GetInvoiceInput } from "./get-invoice.use-case.ts";

export interface GetInvoicePdfDeps {
  readonly getInvoice: GetInvoice;
  readonly invoices: InvoiceRepository;
  readonly numbering: InvoiceNumbering;
  readonly renderer: InvoicePdfRenderer;
}

export type GetInvoicePdf = (input: GetInvoiceInput) => Promise<{ invoice: Invoice; pdf: Uint8Array }>;

/**
 * The invoice (same rules as GetInvoice) and its PDF, rendered on each request from what is stored.
 * An invoice document must carry its number, so an unnumbered invoice first waits for one numbering
 * pass (normally milliseconds); if it is still unnumbered after it, the answer is FAILED_PRECONDITION
 * INVOICE_NOT_YET_NUMBERED (retry shortly) rather than a PDF without a number.
 */
export function makeGetInvoicePdf(deps: GetInvoicePdfDeps): GetInvoicePdf {
  return async (input) => {
    let invoice = await deps.getInvoice(input);
    if (invoice.number === "") {
      await deps.numbering.numberSoon();
      invoice = { ...invoice, number: (await deps.invoices.findNumber(invoice.id)) ?? "" };
      if (invoice.number === "") throw invoiceNotYetNumbered(invoice.id);
    }
    return { invoice, pdf: await deps.renderer.render(invoice) };
  };
}
