import { uuidv7 } from "@orderly/kit/db";
import type { Kysely } from "kysely";
import type { Invoice, NewInvoice } from "../domain/invoice.ts";
import { formatInvoiceNumber } from "../domain/invoice-number.ts";
import type {
  InsertIssuedResult,
  InvoiceListQuery,
  InvoiceRepository,
} from "../domain/ports/invoice-repository.port.ts";
import { nextInvoiceSequence } from "./invoice-counter.ts";
import {
  type InvoiceLineRow,
  type InvoiceRow,
  toInvoice,
  toInvoiceRow,
  toLineRows,
} from "./invoice-row.mapper.ts";
import type { InvoiceDatabase } from "./schema.ts";

/** Thrown inside the issue transaction to roll it back (returning the number) when the order has an invoice. */
class OrderHasInvoice extends Error {}

/** InvoiceRepository over Kysely; runs the same on PostgreSQL and PGlite. */
export class KyselyInvoiceRepository implements InvoiceRepository {
  readonly #db: Kysely<InvoiceDatabase>;

  constructor(db: Kysely<InvoiceDatabase>) {
    this.#db = db;
  }

  async insertIssued(draft: NewInvoice): Promise<InsertIssuedResult> {
    try {
      const invoice = await this.#db.transaction().execute(async (trx) => {
        const sequence = await nextInvoiceSequence(trx, draft.year);
        const numbering = {
          id: uuidv7(draft.issuedAt.getTime()),
          number: formatInvoiceNumber(draft.year, sequence),
          sequence,
        };
        // ON CONFLICT sees rows committed by concurrent transactions (and waits for in-flight ones),
        // so of two racing issues for one order exactly one inserts.
        const inserted = await trx
          .insertInto("invoices")
          .values(toInvoiceRow(draft, numbering))
          .onConflict((conflict) => conflict.column("order_id").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (inserted === undefined) throw new OrderHasInvoice();
        await trx.insertInto("invoice_lines").values(toLineRows(numbering.id, draft.lines)).execute();
        const { year: _, ...fields } = draft;
        return {
          ...fields,
          id: numbering.id,
          number: numbering.number,
          status: "ISSUED",
          voidedAt: null,
          voidReason: null,
        } satisfies Invoice;
      });
      return { invoice, created: true };
    } catch (error) {
      if (!(error instanceof OrderHasInvoice)) throw error;
      const existing = await this.findByOrderId(draft.orderId);
      if (existing === undefined) throw new Error(`invoice of order ${draft.orderId} vanished during issue`);
      return { invoice: existing, created: false };
    }
  }

  async findById(id: string): Promise<Invoice | undefined> {
    const row = await this.#db.selectFrom("invoices").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async findByOrderId(orderId: string): Promise<Invoice | undefined> {
    const row = await this.#db
      .selectFrom("invoices")
      .selectAll()
      .where("order_id", "=", orderId)
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async markVoidIfIssued(id: string, reason: string, voidedAt: Date): Promise<Invoice | undefined> {
    const row = await this.#db
      .updateTable("invoices")
      .set({ status: "VOID", voided_at: voidedAt, void_reason: reason })
      .where("id", "=", id)
      .where("status", "=", "ISSUED")
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async list(query: InvoiceListQuery): Promise<Invoice[]> {
    let select = this.#db.selectFrom("invoices").selectAll();
    if (query.orderId !== undefined) select = select.where("order_id", "=", query.orderId);
    if (query.customerId !== undefined) select = select.where("customer_id", "=", query.customerId);
    if (query.afterId !== undefined) select = select.where("id", "<", query.afterId);
    const rows = await select.orderBy("id", "desc").limit(query.limit).execute();
    return this.#withLines(rows);
  }

  /** One query for the lines of all `rows`, keeping the rows' order. */
  async #withLines(rows: readonly InvoiceRow[]): Promise<Invoice[]> {
    if (rows.length === 0) return [];
    const lines = await this.#db
      .selectFrom("invoice_lines")
      .selectAll()
      .where(
        "invoice_id",
        "in",
        rows.map((row) => row.id),
      )
      .orderBy("invoice_id")
      .orderBy("position")
      .execute();
    const byInvoice = Map.groupBy(lines, (line: InvoiceLineRow) => line.invoice_id);
    return rows.map((row) => toInvoice(row, byInvoice.get(row.id) ?? []));
  }
}
