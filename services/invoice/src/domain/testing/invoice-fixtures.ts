import type { Clock } from "@orderly/kit/domain";
import type { Invoice } from "../invoice.ts";
import { createInvoicingPolicy } from "../invoicing-policy.ts";
import type { IssueInvoiceInput } from "../issue-invoice-input.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { makeIssueInvoice } from "../use-cases/issue-invoice.use-case.ts";
import { inlineNumbering } from "./inline-numbering.ts";

/** A well-formed IssueInvoice request; tests override what they are about. */
export function issueInput(overrides: Partial<IssueInvoiceInput> = {}): IssueInvoiceInput {
  return {
    orderId: "order-1",
    customer: {
      id: "customer-1",
      name: "Ada Lovelace",
      email: "ada@example.com",
      address: { line1: "Unter den Linden 1", city: "Berlin", postalCode: "10117", countryCode: "DE" },
    },
    currencyCode: "EUR",
    lines: [
      { sku: "BOOK-1", description: "Notes on the Analytical Engine", quantity: 2, unitPrice: eur(1999) },
      { sku: "PEN-7", description: "Fountain pen", quantity: 1n, unitPrice: eur(4550n) },
    ],
    ...overrides,
  };
}

/**
 * An invoice as the service makes one, for tests about what happens to it next: `input` issued
 * through the real use case (EUR accepted) into `invoices`, numbered before it returns.
 */
export function issueInvoiceIn(
  invoices: InvoiceRepository,
  clock: Clock,
  input: IssueInvoiceInput = issueInput(),
): Promise<Invoice> {
  const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR"] });
  return makeIssueInvoice({ invoices, clock, policy, numbering: inlineNumbering(invoices) })(input);
}

export function eur(amountMinor: number | bigint) {
  return { currencyCode: "EUR", amountMinor };
}

/** A clock that says what the test tells it to. */
export class FixedClock implements Clock {
  #now: Date;

  constructor(now: Date) {
    this.#now = now;
  }

  now(): Date {
    return new Date(this.#now.getTime());
  }

  set(now: Date): void {
    this.#now = now;
  }
}
