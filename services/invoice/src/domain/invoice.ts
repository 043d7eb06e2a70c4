import type { AddressFields } from "@orderly/contracts/rules";

/** An amount in integer minor units (cents, yen, fils) of an ISO 4217 currency; never a float. */
export interface Money {
  readonly currencyCode: string;
  readonly amountMinor: number;
}

/** The shared address fields; optional parts are "" when absent, as on the wire. */
export type Address = Readonly<AddressFields>;

export interface Customer {
  readonly id: string;
  /** Never empty: the buyer's name, or the address's name when the caller gave no customer name. */
  readonly name: string;
  /** "" when not given. */
  readonly email: string;
  readonly address: Address;
}

export interface InvoiceLine {
  readonly sku: string;
  /** "" when not given (order lines carry no description). */
  readonly description: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  /** quantity x unitPrice, exact. */
  readonly lineTotal: Money;
}

export const InvoiceStatus = {
  ISSUED: "ISSUED",
  PAID: "PAID",
  VOID: "VOID",
} as const;

export type InvoiceStatus = (typeof InvoiceStatus)[keyof typeof InvoiceStatus];

/** The figures of an invoice; see invoice-totals.ts for how they are computed. */
export interface InvoiceTotals {
  readonly lines: readonly InvoiceLine[];
  /** Sum of the line totals. */
  readonly subtotal: Money;
  /** Basis points: 1900 = 19%. */
  readonly taxRateBps: number;
  readonly tax: Money;
  readonly total: Money;
}

/** Everything an issued invoice holds before storage gives it an id (and the numberer its number). */
export interface NewInvoice extends InvoiceTotals {
  /** The numbering series (INVOICE_SERIES). */
  readonly series: string;
  readonly orderId: string;
  readonly customer: Customer;
  readonly currencyCode: string;
  readonly issuedAt: Date;
  /** The numbering year: the UTC calendar year of issuedAt. */
  readonly year: number;
}

export interface Invoice extends InvoiceTotals {
  /** UUIDv7. */
  readonly id: string;
  /**
   * Gapless per series and calendar year: INV-2026-000001. "" from the issue until the numberer
   * assigns it, normally within milliseconds (see ports/invoice-numbering.port.ts); never changes after.
   */
  readonly number: string;
  readonly orderId: string;
  readonly customer: Customer;
  readonly currencyCode: string;
  readonly status: InvoiceStatus;
  readonly issuedAt: Date;
  readonly voidedAt: Date | null;
  readonly voidReason: string | null;
}
