import { KyselyRepository, uuidv7 } from "@orderly/kit/db";
import type { Invoice, NewInvoice } from "../domain/invoice.ts";
import type {
  InsertIssuedResult,
  InvoiceListQuery,
  InvoiceRepository,
} from "../domain/ports/invoice-repository.port.ts";
import { numberPendingInvoices } from "./invoice-numbering.ts";
import {
  type InvoiceLineRow,
  type InvoiceRow,
  invoiceNumberOf,
  toInvoice,
  toInvoiceRow,
  toLineRows,
} from "./invoice-row.mapper.ts";
import { insertIssuedStatement } from "./issue-invoice.statement.ts";
import { RecentNumbers } from "./recent-numbers.ts";
import type { InvoiceDatabase } from "./schema.ts";

/** InvoiceRepository over Kysely; runs the same on PostgreSQL and PGlite. */
export class KyselyInvoiceRepository extends KyselyRepository<InvoiceDatabase> implements InvoiceRepository {
  /** Numbers this repository's passes just assigned, so IssueInvoice's findNumber skips a query. */
  readonly #recentNumbers = new RecentNumbers();

  async insertIssued(draft: NewInvoice): Promise<InsertIssuedResult> {
    const id = uuidv7(draft.issuedAt.getTime());
    const lines = toLineRows(id, draft.lines);
    const { rows: inserted } = await insertIssuedStatement.execute(this.db, {
      ...toInvoiceRow(draft, id),
      lines_json: JSON.stringify(lines),
    });
    if (inserted.length > 0) {
      const { year: _, series: __, ...fields } = draft;
      const invoice: Invoice = {
        ...fields,
        id,
        number: "",
        status: "ISSUED",
        voidedAt: null,
        voidReason: null,
      };
      return { invoice, created: true };
    }
    const existing = await this.findByOrderId(draft.orderId);
    if (existing === undefined) throw new Error(`invoice of order ${draft.orderId} vanished during issue`);
    return { invoice: existing, created: false };
  }

  async findNumber(id: string): Promise<string | undefined> {
    const recent = this.#recentNumbers.take(id);
    if (recent !== undefined) return recent;
    const row = await this.db
      .selectFrom("invoices")
      .select(["series", "year", "sequence"])
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : invoiceNumberOf(row);
  }

  async numberPending(batchSize: number): Promise<number> {
    const numbered = await numberPendingInvoices(this.db, batchSize);
    for (const invoice of numbered) this.#recentNumbers.add(invoice.id, invoiceNumberOf(invoice));
    return numbered.length;
  }

  async findById(id: string): Promise<Invoice | undefined> {
    const row = await this.db.selectFrom("invoices").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async findByOrderId(orderId: string): Promise<Invoice | undefined> {
    const row = await this.db
      .selectFrom("invoices")
      .selectAll()
      .where("order_id", "=", orderId)
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async markVoidIfIssued(id: string, reason: string, voidedAt: Date): Promise<Invoice | undefined> {
    const row = await this.db
      .updateTable("invoices")
      .set({ status: "VOID", voided_at: voidedAt, void_reason: reason })
      .where("id", "=", id)
      .where("status", "=", "ISSUED")
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.#withLines([row]))[0];
  }

  async list(query: InvoiceListQuery): Promise<Invoice[]> {
    let select = this.db.selectFrom("invoices").selectAll();
    if (query.orderId !== undefined) select = select.where("order_id", "=", query.orderId);
    if (query.customerId !== undefined) select = select.where("customer_id", "=", query.customerId);
    if (query.afterId !== undefined) select = select.where("id", "<", query.afterId);
    const rows = await select.orderBy("id", "desc").limit(query.limit).execute();
    return this.#withLines(rows);
  }

  /** One query for the lines of all `rows`, keeping the rows' order. */
  async #withLines(rows: readonly InvoiceRow[]): Promise<Invoice[]> {
    if (rows.length === 0) return [];
    const lines = await this.db
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
