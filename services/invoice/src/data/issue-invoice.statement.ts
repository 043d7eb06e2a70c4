import { ADDRESS_COLUMN_NAMES, columnValues, precompile } from "@orderly/kit/db";
import { type Kysely, sql } from "kysely";
import type { InvoiceDatabase, InvoicesTable } from "./schema.ts";

const INVOICE_COLUMNS: Record<keyof InvoicesTable, true> = {
  id: true,
  series: true,
  year: true,
  sequence: true,
  order_id: true,
  customer_id: true,
  customer_name: true,
  customer_email: true,
  ...ADDRESS_COLUMN_NAMES,
  currency_code: true,
  subtotal_minor: true,
  tax_rate_bps: true,
  tax_minor: true,
  total_minor: true,
  status: true,
  issued_at: true,
  voided_at: true,
  void_reason: true,
};

export interface InsertIssuedParams extends InvoicesTable {
  /** The invoice's lines (invoice-row.mapper toLineRows) as JSON text. */
  lines_json: string;
}

/**
 * One statement, so one round trip and atomic without a transaction: the invoice insert feeds its
 * lines' insert, and when the order has an invoice already (ON CONFLICT sees rows committed by
 * concurrent transactions and waits for in-flight ones) neither inserts anything. Returns a row per
 * line inserted. Compiled once (kit precompile); the lines travel as one JSON parameter, so the
 * text is the same for any number of lines.
 */
export const insertIssuedStatement = precompile((db: Kysely<InvoiceDatabase>, p: InsertIssuedParams) =>
  db
    .with("inserted", (db) =>
      db
        .insertInto("invoices")
        .values(columnValues<InvoicesTable>(p, INVOICE_COLUMNS))
        .onConflict((conflict) => conflict.column("order_id").doNothing())
        .returning("id"),
    )
    .insertInto("invoice_lines")
    .columns([
      "invoice_id",
      "position",
      "sku",
      "description",
      "quantity",
      "unit_price_minor",
      "line_total_minor",
    ])
    .expression(
      sql`select inserted.id, l.position, l.sku, l.description, l.quantity, l.unit_price_minor, l.line_total_minor
          from inserted cross join jsonb_to_recordset(${p.lines_json}::jsonb) as l(
            position integer, sku text, description text, quantity bigint,
            unit_price_minor bigint, line_total_minor bigint)`,
    )
    .returning("invoice_id"),
);
