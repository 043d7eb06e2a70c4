import { AppError, Code, type FieldViolation, failedPrecondition, notFound } from "@orderly/kit/errors";
import { InvoiceErrorReason } from "./invoice-error-reason.ts";

/** The invoice service's domain errors, each with its gRPC code and proto reason. */

export function invoiceNotFound(id: string): AppError {
  return notFound(InvoiceErrorReason.INVOICE_NOT_FOUND, `invoice ${id} does not exist`, { invoice_id: id });
}

export function invoicePaid(id: string, number: string): AppError {
  return failedPrecondition(
    InvoiceErrorReason.INVOICE_PAID,
    `invoice ${number || id} is paid and cannot be voided`,
    {
      invoice_id: id,
    },
  );
}

export function orderAlreadyInvoiced(orderId: string, invoiceId: string, number: string): AppError {
  return failedPrecondition(
    InvoiceErrorReason.ORDER_ALREADY_INVOICED,
    `order ${orderId} is already invoiced as ${number || invoiceId} with different content`,
    { order_id: orderId, invoice_id: invoiceId, invoice_number: number },
  );
}

/** A valid ISO 4217 code this entity does not bill in: permanent for the caller, hence not retried. */
export function unsupportedCurrency(currencyCode: string): AppError {
  return failedPrecondition(
    InvoiceErrorReason.UNSUPPORTED_CURRENCY,
    `this invoicing entity does not bill in ${currencyCode}`,
    { field: "currency_code", currency_code: currencyCode },
  );
}

/**
 * A line priced in another currency than the invoice. It is bad input, so the code is
 * INVALID_ARGUMENT (HTTP 400) with the same `field`/`violations` details as any validation error;
 * the reason is the proto's specific CURRENCY_MISMATCH rather than the generic VALIDATION_FAILED.
 */
export function currencyMismatch(violations: readonly FieldViolation[]): AppError {
  return new AppError({
    code: Code.INVALID_ARGUMENT,
    reason: InvoiceErrorReason.CURRENCY_MISMATCH,
    message: violations.map((m) => `${m.field}: ${m.description}`).join("; "),
    details: { field: violations[0]?.field ?? "", violations: [...violations] },
  });
}

/** The PDF of an invoice the numberer has not numbered yet: an invoice document needs its number. */
export function invoiceNotYetNumbered(id: string): AppError {
  return failedPrecondition(
    InvoiceErrorReason.INVOICE_NOT_YET_NUMBERED,
    `invoice ${id} has no number yet; its PDF exists once it is numbered (normally within milliseconds), retry shortly`,
    { invoice_id: id },
  );
}
