import type { AddressColumns } from "@orderly/kit/db";

/**
 * The invoice database as Kysely sees it (migrations/*.sql is the source of truth). int8 columns are
 * numbers: the kit's drivers parse int8 to a safe JS integer on both PostgreSQL and PGlite.
 */
export interface InvoiceDatabase {
  invoice_counters: InvoiceCountersTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
}

export interface InvoiceCountersTable {
  series: string;
  year: number;
  last: number;
}

/** The buyer's address is in the address_* columns (AddressColumns). */
export interface InvoicesTable extends AddressColumns {
  id: string;
  series: string;
  year: number;
  /** null until the numberer assigns it (invoice-numbering.ts); the number derives from it. */
  sequence: number | null;
  order_id: string;
  customer_id: string;
  customer_name: string;
  customer_email: string;
  currency_code: string;
  subtotal_minor: number;
  tax_rate_bps: number;
  tax_minor: number;
  total_minor: number;
  status: "ISSUED" | "PAID" | "VOID";
  issued_at: Date;
  voided_at: Date | null;
  void_reason: string | null;
}

export interface InvoiceLinesTable {
  invoice_id: string;
  position: number;
  sku: string;
  description: string;
  quantity: number;
  unit_price_minor: number;
  line_total_minor: number;
}
