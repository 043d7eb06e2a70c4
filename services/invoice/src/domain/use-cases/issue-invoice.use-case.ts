import type { Clock } from "@orderly/kit/domain";
import type { Invoice } from "../invoice.ts";
import { orderAlreadyInvoiced, unsupportedCurrency } from "../invoice-errors.ts";
import { numberingYearOf } from "../invoice-number.ts";
import { computeInvoiceTotals } from "../invoice-totals.ts";
import type { InvoicingPolicy } from "../invoicing-policy.ts";
import {
  type IssueInvoiceCommand,
  type IssueInvoiceInput,
  parseIssueInvoiceInput,
} from "../issue-invoice-input.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { hasSameContent } from "../same-invoice-content.ts";

export interface IssueInvoiceDeps {
  readonly invoices: InvoiceRepository;
  readonly clock: Clock;
  readonly policy: InvoicingPolicy;
}

export type IssueInvoice = (input: IssueInvoiceInput) => Promise<Invoice>;

/**
 * Issues the invoice of an order, idempotently per order_id: a repeat with the same content returns
 * the original invoice (whatever its status, and even if the tax rate or accepted currencies changed
 * since), a repeat with different content is FAILED_PRECONDITION ORDER_ALREADY_INVOICED.
 * Order of checks: the request must be well formed (INVALID_ARGUMENT), then an existing invoice
 * decides, then the currency must be one this entity bills in (FAILED_PRECONDITION
 * UNSUPPORTED_CURRENCY). Nothing is stored unless every check passes.
 */
export function makeIssueInvoice(deps: IssueInvoiceDeps): IssueInvoice {
  return async (input) => {
    const command = parseIssueInvoiceInput(input);
    const totals = computeInvoiceTotals(command.currencyCode, command.lines, deps.policy.taxRateBps);

    const existing = await deps.invoices.findByOrderId(command.orderId);
    if (existing !== undefined) return originalOrConflict(existing, command);

    if (!deps.policy.acceptedCurrencies.has(command.currencyCode)) {
      throw unsupportedCurrency(command.currencyCode);
    }

    const issuedAt = deps.clock.now();
    const { invoice, created } = await deps.invoices.insertIssued({
      ...totals,
      orderId: command.orderId,
      customer: command.customer,
      currencyCode: command.currencyCode,
      issuedAt,
      year: numberingYearOf(issuedAt),
    });
    // Not created: a concurrent request for the same order won the race; judge its invoice.
    return created ? invoice : originalOrConflict(invoice, command);
  };
}

function originalOrConflict(existing: Invoice, command: IssueInvoiceCommand): Invoice {
  if (hasSameContent(existing, command)) return existing;
  throw orderAlreadyInvoiced(command.orderId, existing.id, existing.number);
}
