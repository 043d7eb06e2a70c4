import type { Database } from "@orderly/kit/db";
import { KyselyInvoiceRepository } from "./data/invoice.repository.ts";
import type { InvoiceDatabase } from "./data/schema.ts";
import type { Clock } from "./domain/clock.ts";
import { createGetInvoice, type GetInvoice } from "./domain/get-invoice.use-case.ts";
import type { Invoice } from "./domain/invoice.ts";
import type { InvoicingPolicy } from "./domain/invoicing-policy.ts";
import { createIssueInvoice, type IssueInvoice } from "./domain/issue-invoice.use-case.ts";
import { createListInvoices, type ListInvoices } from "./domain/list-invoices.use-case.ts";
import { createVoidInvoice, type VoidInvoice } from "./domain/void-invoice.use-case.ts";
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
  const getInvoice = createGetInvoice({ invoices });
  const api: InvoiceApi = {
    issueInvoice: createIssueInvoice({ invoices, clock, policy: deps.policy }),
    getInvoice,
    listInvoices: createListInvoices({ invoices }),
    voidInvoice: createVoidInvoice({ invoices, clock }),
    invoicePdf: async (id) => {
      const invoice = await getInvoice({ id });
      return { invoice, pdf: renderInvoicePdf(invoice, deps.seller) };
    },
  };
  return { api };
}
