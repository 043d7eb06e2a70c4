/**
 * The invoice service's error reasons: the names of `orderly.invoice.v1.InvoiceErrorReason` without
 * the `INVOICE_ERROR_REASON_` prefix, because that is how a reason travels on the wire.
 */
export const InvoiceErrorReason = {
  INVOICE_NOT_FOUND: "INVOICE_NOT_FOUND",
  UNSUPPORTED_CURRENCY: "UNSUPPORTED_CURRENCY",
  CURRENCY_MISMATCH: "CURRENCY_MISMATCH",
  ORDER_ALREADY_INVOICED: "ORDER_ALREADY_INVOICED",
  INVOICE_PAID: "INVOICE_PAID",
  INVOICE_NOT_YET_NUMBERED: "INVOICE_NOT_YET_NUMBERED",
} as const;

export type InvoiceErrorReason = (typeof InvoiceErrorReason)[keyof typeof InvoiceErrorReason];
