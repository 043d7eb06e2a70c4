import type { Clock } from "@orderly/kit/domain";
import type { IssueInvoiceInput } from "../issue-invoice-input.ts";

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
