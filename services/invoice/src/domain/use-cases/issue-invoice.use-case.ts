import type { Clock } from "@orderly/kit/domain";
import type { Invoice } from "../invoice.ts";
import { orderAlreadyInvoiced, unsupportedCurrency } from "../invoice-errors.ts";
import { INVOICE_SERIES, numberingYearOf } from "../invoice-number.ts";
import { computeInvoiceTotals } from "../invoice-totals.ts";
import type { InvoicingPolicy } from "../invoicing-policy.ts";
import {
  type IssueInvoiceCommand,
  type IssueInvoiceInput,
  parseIssueInvoiceInput,
} from "../issue-invoice-input.ts";
import type { InvoiceNumbering } from "../ports/invoice-numbering.port.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { hasSameContent } from "../same-invoice-content.ts";
import { taxRateBpsFor } from "../tax-rates.ts";

export interface IssueInvoiceDeps {
  readonly invoices: InvoiceRepository;
  readonly clock: Clock;
  readonly policy: InvoicingPolicy;
  readonly numbering: InvoiceNumbering;
}

export type IssueInvoice = (input: IssueInvoiceInput) => Promise<Invoice>;

/**
 * Issues the invoice of an order, idempotently per order_id: a repeat with the same content returns
 * the original invoice (whatever its status, and even if the tax rates or accepted currencies changed
 * since), a repeat with different content is FAILED_PRECONDITION ORDER_ALREADY_INVOICED.
 * Order of checks: the request must be well formed (INVALID_ARGUMENT), then an existing invoice
 * decides, then the currency must be one this entity bills in (FAILED_PRECONDITION
 * UNSUPPORTED_CURRENCY). Nothing is stored unless every check passes.
 *
 * The invoice is stored unnumbered in one statement; then this call asks the numberer for a
 * pass and waits for it (no lock is held meanwhile, and concurrent issues share one pass), so the
 * answer normally carries the number. It carries number "" when numbering has not caught up (the
 * pass failed, or the service is stopping); GetInvoice and ListInvoices show the number once assigned.
 */
export function makeIssueInvoice(deps: IssueInvoiceDeps): IssueInvoice {
  return async (input) => {
    const command = parseIssueInvoiceInput(input);
    const taxRateBps = taxRateBpsFor(command.customer.address.countryCode);
    const totals = computeInvoiceTotals(command.currencyCode, command.lines, taxRateBps);

    if (!deps.policy.acceptedCurrencies.has(command.currencyCode)) {
      // An invoice issued before the currency was dropped still answers its repeats.
      const existing = await deps.invoices.findByOrderId(command.orderId);
      if (existing !== undefined) return withNumber(originalOrConflict(existing, command));
      throw unsupportedCurrency(command.currencyCode);
    }

    const issuedAt = deps.clock.now();
    const { invoice, created } = await deps.invoices.insertIssued({
      ...totals,
      orderId: command.orderId,
      customer: command.customer,
      currencyCode: command.currencyCode,
      issuedAt,
      series: INVOICE_SERIES,
      year: numberingYearOf(issuedAt),
    });
    // Not created: the order has an invoice (a repeat, or a concurrent request won); judge it. Going
    // straight to the insert saves a lookup on every first issue, the common case.
    return withNumber(created ? invoice : originalOrConflict(invoice, command));
  };

  /** The invoice as stored after a numbering pass, if it had no number yet. */
  async function withNumber(invoice: Invoice): Promise<Invoice> {
    if (invoice.number !== "") return invoice;
    await deps.numbering.numberSoon();
    const number = await deps.invoices.findNumber(invoice.id);
    return number === undefined ? invoice : { ...invoice, number };
  }
}

function originalOrConflict(existing: Invoice, command: IssueInvoiceCommand): Invoice {
  if (hasSameContent(existing, command)) return existing;
  throw orderAlreadyInvoiced(command.orderId, existing.id, existing.number);
}
