import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";

export interface NumberPendingInvoicesDeps {
  readonly invoices: InvoiceRepository;
  /** Invoices numbered per series and year in one transaction; bounds how long its lock is held. */
  readonly batchSize: number;
}

/** Numbers every invoice that is unnumbered when it runs; resolves to how many it numbered. */
export type NumberPendingInvoices = () => Promise<number>;

/**
 * One numbering pass: batches until nothing is left, so a burst of issues is numbered in a few
 * transactions instead of one each, and each transaction stays short.
 */
export function makeNumberPendingInvoices(deps: NumberPendingInvoicesDeps): NumberPendingInvoices {
  if (!Number.isSafeInteger(deps.batchSize) || deps.batchSize < 1) {
    throw new RangeError(`numbering batch size must be a positive integer, got ${deps.batchSize}`);
  }
  return async () => {
    let total = 0;
    for (;;) {
      const numbered = await deps.invoices.numberPending(deps.batchSize);
      total += numbered;
      // Fewer than a batch in all means every series and year had less than a full batch left, so
      // nothing committed before this pass is still waiting (a row skipped because it was locked is
      // the next pass's): no second query just to learn that.
      if (numbered < deps.batchSize) return total;
    }
  };
}
