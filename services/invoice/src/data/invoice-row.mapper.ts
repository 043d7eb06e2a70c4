import { addressColumns, addressFromColumns } from "@orderly/kit/db";
import type { Insertable, Selectable } from "kysely";
import type { Invoice, InvoiceLine, NewInvoice } from "../domain/invoice.ts";
import { formatInvoiceNumber } from "../domain/invoice-number.ts";
import type { InvoiceLinesTable, InvoicesTable } from "./schema.ts";

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;

/** A new invoice's row: unnumbered (sequence null) until the numberer gets to it. */
export function toInvoiceRow(draft: NewInvoice, id: string): InvoicesTable {
  const { customer } = draft;
  return {
    id,
    series: draft.series,
    year: draft.year,
    sequence: null,
    order_id: draft.orderId,
    customer_id: customer.id,
    customer_name: customer.name,
    customer_email: customer.email,
    ...addressColumns(customer.address),
    currency_code: draft.currencyCode,
    subtotal_minor: draft.subtotal.amountMinor,
    tax_rate_bps: draft.taxRateBps,
    tax_minor: draft.tax.amountMinor,
    total_minor: draft.total.amountMinor,
    status: "ISSUED",
    issued_at: draft.issuedAt,
    voided_at: null,
    void_reason: null,
  };
}

export function toLineRows(
  invoiceId: string,
  lines: readonly InvoiceLine[],
): Insertable<InvoiceLinesTable>[] {
  return lines.map((line, position) => ({
    invoice_id: invoiceId,
    position,
    sku: line.sku,
    description: line.description,
    quantity: line.quantity,
    unit_price_minor: line.unitPrice.amountMinor,
    line_total_minor: line.lineTotal.amountMinor,
  }));
}

/** The printed number, "" while the numberer has not reached the invoice. */
export function invoiceNumberOf(row: Pick<InvoiceRow, "series" | "year" | "sequence">): string {
  return row.sequence === null ? "" : formatInvoiceNumber(row.series, row.year, row.sequence);
}

/** `lines` must be this invoice's rows in position order. */
export function toInvoice(row: InvoiceRow, lines: readonly InvoiceLineRow[]): Invoice {
  const currencyCode = row.currency_code;
  const money = (amountMinor: number) => ({ currencyCode, amountMinor });
  return {
    id: row.id,
    number: invoiceNumberOf(row),
    orderId: row.order_id,
    customer: {
      id: row.customer_id,
      name: row.customer_name,
      email: row.customer_email,
      address: addressFromColumns(row),
    },
    currencyCode,
    lines: lines.map((line) => ({
      sku: line.sku,
      description: line.description,
      quantity: line.quantity,
      unitPrice: money(line.unit_price_minor),
      lineTotal: money(line.line_total_minor),
    })),
    subtotal: money(row.subtotal_minor),
    taxRateBps: row.tax_rate_bps,
    tax: money(row.tax_minor),
    total: money(row.total_minor),
    status: row.status,
    issuedAt: row.issued_at,
    voidedAt: row.voided_at,
    voidReason: row.void_reason,
  };
}
