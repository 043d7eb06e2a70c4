import type { Database } from "@orderly/kit/db";
import { type Clock, systemClock } from "@orderly/kit/domain";
import type { Logger } from "@orderly/kit/log";
import type { BackgroundTask } from "@orderly/kit/service";
import type { Transaction } from "kysely";
import { KyselyInvoiceRepository } from "./data/invoice.repository.ts";
import { InvoiceNumberer } from "./data/invoice-numberer.ts";
import type { InvoiceDatabase } from "./data/schema.ts";
import { type InvoiceApi, makeInvoiceApi } from "./domain/invoice-api.ts";
import type { InvoicingPolicy } from "./domain/invoicing-policy.ts";
import { makeNumberPendingInvoices } from "./domain/use-cases/number-pending-invoices.use-case.ts";
import {
  makeVoidInvoiceOfEndedOrder,
  type VoidInvoiceOfEndedOrder,
} from "./domain/use-cases/void-invoice-of-ended-order.use-case.ts";
import type { InvoiceFonts } from "./pdf/invoice-fonts.ts";
import { renderInvoicePdf } from "./pdf/render-invoice-pdf.ts";
import type { Seller } from "./pdf/seller.ts";

/** Invoices numbered per series and year in one transaction (bounds how long its counter lock is held). */
const NUMBERING_BATCH_SIZE = 1000;
/** The numberer's safety-net pass; normal numbering is woken by each issue and takes milliseconds. */
const NUMBERING_INTERVAL_MS = 1000;

export interface InvoiceAppDeps {
  database: Database<InvoiceDatabase>;
  policy: InvoicingPolicy;
  seller: Seller;
  fonts: InvoiceFonts;
  log: Logger;
  clock?: Clock;
}

export interface InvoiceApp {
  api: InvoiceApi;
  /** The numberer: started after the listeners, stopped after they drain (the database still open). */
  tasks: BackgroundTask[];
  /**
   * The reaction to a cancelled or failed order, working on `trx` (the event consumer's
   * transaction, which records the event in the inbox): the void and the inbox row commit together.
   */
  voidInvoiceOfEndedOrderIn(trx: Transaction<InvoiceDatabase>): VoidInvoiceOfEndedOrder;
}

/** Wires the invoice use cases to their adapters. No side effects until a task starts. */
export function buildApp(deps: InvoiceAppDeps): InvoiceApp {
  const invoices = new KyselyInvoiceRepository(deps.database.db);
  const numberer = new InvoiceNumberer({
    numberPending: makeNumberPendingInvoices({ invoices, batchSize: NUMBERING_BATCH_SIZE }),
    intervalMs: NUMBERING_INTERVAL_MS,
    onError: (error) => deps.log.error({ err: error }, "invoice numbering pass failed; retried on the next"),
  });
  const api = makeInvoiceApi({
    invoices,
    numbering: numberer,
    renderer: { render: (invoice) => renderInvoicePdf(invoice, deps.seller, deps.fonts) },
    policy: deps.policy,
    clock: deps.clock ?? systemClock,
  });
  const clock = deps.clock ?? systemClock;
  return {
    api,
    tasks: [numberer],
    voidInvoiceOfEndedOrderIn: (trx) =>
      makeVoidInvoiceOfEndedOrder({ invoices: new KyselyInvoiceRepository(trx), clock }),
  };
}
