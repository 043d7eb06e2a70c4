import type { Database } from "@orderly/kit/db";
import type { Clock } from "@orderly/kit/domain";
import { KyselyInvoiceRepository } from "./data/invoice.repository.ts";
import type { InvoiceDatabase } from "./data/schema.ts";
import type { Invoice } from "./domain/invoice.ts";
import type { InvoicingPolicy } from "./domain/invoicing-policy.ts";
import { type GetInvoice, makeGetInvoice } from "./domain/use-cases/get-invoice.use-case.ts";
import { type IssueInvoice, makeIssueInvoice } from "./domain/use-cases/issue-invoice.use-case.ts";
import { type ListInvoices, makeListInvoices } from "./domain/use-cases/list-invoices.use-case.ts";
import { makeVoidInvoice, type VoidInvoice } from "./domain/use-cases/void-invoice.use-case.ts";
import { renderInvoicePdf } from "./pdf/render-invoice-pdf.ts";
import type { Seller } from "./pdf/seller.ts";

/** What the transports call: the invoice use cases with their dependencies bound. */
export interface InvoiceApi {
  issueInvoice: IssueInvoice;
  getInvoice: GetInvoice;
  listInvoices: ListInvoices;
  voidInvoice: VoidInvoice;
  /** The invoice (same rules as getInvoice) and its PDF, rendered on each request from what is stored. */
  invoicePdf(id: string): Promise<{ invoice: Invoice; pdf: Uint8Array }>;
}

export interface InvoiceAppDeps {
  database: Database<InvoiceDatabase>;
  policy: InvoicingPolicy;
  seller: Seller;
  clock?: Clock;
}

export interface InvoiceApp {
  api: InvoiceApi;
}

/** Wires the invoice use cases to their adapters. No side effects; no background work. */
export function buildApp(deps: InvoiceAppDeps): InvoiceApp {
  const clock: Clock = deps.clock ?? { now: () => new Date() };
  const invoices = new KyselyInvoiceRepository(deps.database.db);
  const getInvoice = makeGetInvoice({ invoices });
  const api: InvoiceApi = {
    issueInvoice: makeIssueInvoice({ invoices, clock, policy: deps.policy }),
    getInvoice,
    listInvoices: makeListInvoices({ invoices }),
    voidInvoice: makeVoidInvoice({ invoices, clock }),
    invoicePdf: async (id) => {
      const invoice = await getInvoice({ id });
      return { invoice, pdf: renderInvoicePdf(invoice, deps.seller) };
    },
  };
  return { api };
}
