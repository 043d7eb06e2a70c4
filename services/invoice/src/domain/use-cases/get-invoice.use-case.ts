import { Violations } from "@orderly/kit/domain";
import type { Invoice } from "../invoice.ts";
import { invoiceNotFound } from "../invoice-errors.ts";
import type { InvoiceReadDeps } from "../ports/invoice-repository.port.ts";
import { readUuid } from "../request-fields.ts";

export interface GetInvoiceInput {
  id?: string | undefined;
  /** The customer the caller acts for; another customer's invoice is NOT_FOUND. Undefined: any. */
  owner?: string | undefined;
}

export type GetInvoice = (input: GetInvoiceInput) => Promise<Invoice>;

/** The invoice with this id; INVALID_ARGUMENT when the id is not a UUID, NOT_FOUND when unknown. */
export function makeGetInvoice(deps: InvoiceReadDeps): GetInvoice {
  return async (input) => {
    const v = new Violations();
    const id = readUuid(v, "id", input.id);
    v.throwIfAny();
    const invoice = await deps.invoices.findById(id);
    if (invoice === undefined || (input.owner !== undefined && invoice.customer.id !== input.owner)) {
      throw invoiceNotFound(id);
    }
    return invoice;
  };
}
