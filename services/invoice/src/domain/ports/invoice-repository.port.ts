import type { Invoice, NewInvoice } from "../invoice.ts";

export interface InsertIssuedResult {
  readonly invoice: Invoice;
  /** false when an invoice for the same order existed already: `invoice` is that one, untouched. */
  readonly created: boolean;
}

export interface InvoiceListQuery {
  /** Filters; when both are given an invoice must match both. */
  readonly orderId?: string | undefined;
  readonly customerId?: string | undefined;
  /** Keyset cursor: return only invoices after this id in list order (newest first, id descending). */
  readonly afterId?: string | undefined;
  readonly limit: number;
}

/** Storage of invoices. Implementations must keep the guarantees written on each method. */
export interface InvoiceRepository {
  /**
   * Atomically takes the next number of `draft.year` and stores the invoice with a new id, or, when
   * an invoice for `draft.orderId` exists (even one committed concurrently), stores nothing and
   * returns that one. Numbers are gapless: a failed or rolled-back insert gives its number back, and
   * concurrent inserts never share or skip one.
   */
  insertIssued(draft: NewInvoice): Promise<InsertIssuedResult>;
  findById(id: string): Promise<Invoice | undefined>;
  findByOrderId(orderId: string): Promise<Invoice | undefined>;
  /**
   * Sets status VOID, voidedAt and voidReason only if the invoice is ISSUED at that moment (a
   * compare-and-set, so a concurrent payment or void is never overwritten). Returns the updated
   * invoice, or undefined when nothing was changed.
   */
  markVoidIfIssued(id: string, reason: string, voidedAt: Date): Promise<Invoice | undefined>;
  /** Newest first (id descending: UUIDv7 ids grow with time); at most `limit` invoices. */
  list(query: InvoiceListQuery): Promise<Invoice[]>;
}
