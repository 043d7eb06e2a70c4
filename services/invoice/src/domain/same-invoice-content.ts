import type { Customer, Invoice } from "./invoice.ts";
import type { IssueInvoiceCommand } from "./issue-invoice-input.ts";

/**
 * Whether a repeated IssueInvoice asks for the invoice that exists: same customer, currency and
 * lines (in the same order), compared after normalisation. Figures computed by us (tax rate, totals,
 * number, dates) are deliberately not compared: a retry after a tax-rate change is still the same
 * request and must get the original invoice back.
 */
export function hasSameContent(invoice: Invoice, command: IssueInvoiceCommand): boolean {
  return (
    invoice.orderId === command.orderId &&
    invoice.currencyCode === command.currencyCode &&
    sameCustomer(invoice.customer, command.customer) &&
    invoice.lines.length === command.lines.length &&
    invoice.lines.every((line, index) => {
      const requested = command.lines[index];
      return (
        requested !== undefined &&
        line.sku === requested.sku &&
        line.description === requested.description &&
        line.quantity === requested.quantity &&
        line.unitPrice.amountMinor === requested.unitPriceMinor
      );
    })
  );
}

function sameCustomer(a: Customer, b: Customer): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.email === b.email &&
    a.address.name === b.address.name &&
    a.address.line1 === b.address.line1 &&
    a.address.line2 === b.address.line2 &&
    a.address.city === b.address.city &&
    a.address.postalCode === b.address.postalCode &&
    a.address.countryCode === b.address.countryCode
  );
}
