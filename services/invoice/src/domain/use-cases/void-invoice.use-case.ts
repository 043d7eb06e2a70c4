import { type Clock, Violations } from "@orderly/kit/domain";
import { type Invoice, InvoiceStatus } from "../invoice.ts";
import { invoiceNotFound, invoicePaid } from "../invoice-errors.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { readText, readUuid } from "../request-fields.ts";

export interface VoidInvoiceInput {
  id?: string | undefined;
  reason?: string | undefined;
}

export interface VoidInvoiceDeps {
  readonly invoices: InvoiceRepository;
  readonly clock: Clock;
}

export type VoidInvoice = (input: VoidInvoiceInput) => Promise<Invoice>;

// A failed compare-and-set means the status left ISSUED, and no status leads back to ISSUED, so
// the second read always decides; the bound only guards against a broken repository.
const MAX_ATTEMPTS = 3;

/**
 * Voids an ISSUED invoice, idempotently: voiding a VOID invoice returns it unchanged (its first
 * reason and time kept), voiding a PAID one is FAILED_PRECONDITION INVOICE_PAID, an unknown id
 * NOT_FOUND INVOICE_NOT_FOUND. A reason is required: a void without one is not auditable.
 */
export function makeVoidInvoice(deps: VoidInvoiceDeps): VoidInvoice {
  return async (input) => {
    const v = new Violations();
    const id = readUuid(v, "id", input.id);
    const reason = readText(v, "reason", input.reason, { min: 1, max: 500 });
    v.throwIfAny();

    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await deps.invoices.findById(id);
      if (current === undefined) throw invoiceNotFound(id);
      if (current.status === InvoiceStatus.VOID) return current;
      if (current.status === InvoiceStatus.PAID) {
        throw invoicePaid(id, current.number);
      }
      const voided = await deps.invoices.markVoidIfIssued(id, reason, deps.clock.now());
      if (voided !== undefined) return voided;
    }
    throw new Error(`invoice ${id} kept changing while it was being voided`);
  };
}
