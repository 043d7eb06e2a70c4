import type { Clock } from "@orderly/kit/domain";
import type { InvoicingPolicy } from "./invoicing-policy.ts";
import type { InvoiceNumbering } from "./ports/invoice-numbering.port.ts";
import type { InvoicePdfRenderer } from "./ports/invoice-pdf-renderer.port.ts";
import type { InvoiceRepository } from "./ports/invoice-repository.port.ts";
import { type GetInvoice, makeGetInvoice } from "./use-cases/get-invoice.use-case.ts";
import { type GetInvoicePdf, makeGetInvoicePdf } from "./use-cases/get-invoice-pdf.use-case.ts";
import { type IssueInvoice, makeIssueInvoice } from "./use-cases/issue-invoice.use-case.ts";
import { type ListInvoices, makeListInvoices } from "./use-cases/list-invoices.use-case.ts";
import { makeVoidInvoice, type VoidInvoice } from "./use-cases/void-invoice.use-case.ts";

/** Every invoice use case: the one object the transports receive. */
export interface InvoiceApi {
  issueInvoice: IssueInvoice;
  getInvoice: GetInvoice;
  listInvoices: ListInvoices;
  voidInvoice: VoidInvoice;
  getInvoicePdf: GetInvoicePdf;
}

export interface InvoiceApiDeps {
  readonly invoices: InvoiceRepository;
  readonly numbering: InvoiceNumbering;
  readonly renderer: InvoicePdfRenderer;
  readonly policy: InvoicingPolicy;
  readonly clock: Clock;
}

export function makeInvoiceApi(deps: InvoiceApiDeps): InvoiceApi {
  const { invoices, numbering, clock } = deps;
  const getInvoice = makeGetInvoice({ invoices });
  return {
    issueInvoice: makeIssueInvoice({ invoices, numbering, clock, policy: deps.policy }),
    getInvoice,
    listInvoices: makeListInvoices({ invoices }),
    voidInvoice: makeVoidInvoice({ invoices, clock }),
    getInvoicePdf: makeGetInvoicePdf({ getInvoice, invoices, numbering, renderer: deps.renderer }),
  };
}
