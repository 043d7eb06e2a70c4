/**
 * The numberer, as IssueInvoice sees it: invoices are stored unnumbered, and a numberer assigns the
 * next gapless numbers of each series and year in batches, off the caller's transaction.
 */
export interface InvoiceNumbering {
  /**
   * Asks for a numbering pass and resolves once a pass that started after this call has ended, so
   * every invoice committed before the call has had its chance to be numbered. Resolves (never
   * rejects) also when the pass failed or the numberer is stopping: the caller then reads the
   * invoice as it is, perhaps still unnumbered.
   */
  numberSoon(): Promise<void>;
}
