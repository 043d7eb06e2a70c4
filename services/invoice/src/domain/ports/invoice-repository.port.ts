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
   * Stores the invoice with a new id and no number yet (number ""), or, when an invoice for
   * `draft.orderId` exists (even one committed concurrently), stores nothing and returns that one.
   * Takes no lock beyond the new row: issues never wait for each other's numbering.
   */
  insertIssued(draft: NewInvoice): Promise<InsertIssuedResult>;
  /**
   * Numbers at most `batchSize` unnumbered invoices of each series and year, oldest first (issue
   * time, then id), with the next numbers of that series and year; returns how many it numbered.
   * Gapless and duplicate-free even when several callers (replicas) run it at once on one database:
   * each series and year is numbered in one short transaction that holds its counter's lock.
   */
  numberPending(batchSize: number): Promise<number>;
  findById(id: string): Promise<Invoice | undefined>;
  findByOrderId(orderId: string): Promise<Invoice | undefined>;
  /** Just the invoice's number ("" while unnumbered), or undefined when the id is unknown. */
  findNumber(id: string): Promise<string | undefined>;
  /**
   * Sets status VOID, voidedAt and voidReason only if the invoice is ISSUED at that moment (a
   * compare-and-set, so a concurrent payment or void is never overwritten). Returns the updated
   * invoice, or undefined when nothing was changed.
   */
  markVoidIfIssued(id: string, reason: string, voidedAt: Date): Promise<Invoice | undefined>;
  /** Newest first (id descending: UUIDv7 ids grow with time); at most `limit` invoices. */
  list(query: InvoiceListQuery): Promise<Invoice[]>;
}

/** What a use case that only reads invoices needs. */
export interface InvoiceReadDeps {
  readonly invoices: InvoiceRepository;
}
