import type { InvoiceNumbering } from "../ports/invoice-numbering.port.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { makeNumberPendingInvoices } from "../use-cases/number-pending-invoices.use-case.ts";

/** A numberer for tests: each numberSoon() runs one whole numbering pass before resolving. */
export function inlineNumbering(invoices: InvoiceRepository, batchSize = 100): InvoiceNumbering {
  const numberPending = makeNumberPendingInvoices({ invoices, batchSize });
  return { numberSoon: async () => void (await numberPending()) };
}
