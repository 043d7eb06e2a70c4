import { type Invoice, type InvoiceStatus, type NewInvoice, InvoiceStatus as Status } from "../invoice.ts";
import { formatInvoiceNumber } from "../invoice-number.ts";
import type {
  InsertIssuedResult,
  InvoiceListQuery,
  InvoiceRepository,
} from "../ports/invoice-repository.port.ts";

/**
 * A faithful in-memory InvoiceRepository for use-case tests: invoices stored unnumbered and numbered
 * gaplessly per series and year in issue order by numberPending, one invoice per order,
 * compare-and-set void, newest-first keyset listing. Not for production (no durability).
 */
export class InMemoryInvoiceRepository implements InvoiceRepository {
  readonly #invoices = new Map<string, Invoice>();
  /** What the numberer needs and an Invoice does not carry. */
  readonly #numbering = new Map<string, { series: string; year: number }>();
  readonly #counters = new Map<string, number>();
  #nextId = 1;

  async insertIssued(draft: NewInvoice): Promise<InsertIssuedResult> {
    const existing = this.#byOrder(draft.orderId);
    if (existing !== undefined) return { invoice: existing, created: false };
    const { year, series, ...fields } = draft;
    const invoice: Invoice = {
      ...fields,
      id: this.#newId(),
      number: "",
      status: Status.ISSUED,
      voidedAt: null,
      voidReason: null,
    };
    this.#invoices.set(invoice.id, invoice);
    this.#numbering.set(invoice.id, { series, year });
    return { invoice, created: true };
  }

  async numberPending(batchSize: number): Promise<number> {
    const pending = [...this.#invoices.values()]
      .filter((invoice) => invoice.number === "")
      .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || (a.id < b.id ? -1 : 1));
    const perKey = new Map<string, number>();
    let numbered = 0;
    for (const invoice of pending) {
      const { series, year } = this.#numbering.get(invoice.id) ?? { series: "INV", year: 0 };
      const key = `${series}/${year}`;
      if ((perKey.get(key) ?? 0) >= batchSize) continue;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      const sequence = (this.#counters.get(key) ?? 0) + 1;
      this.#counters.set(key, sequence);
      this.#invoices.set(invoice.id, { ...invoice, number: formatInvoiceNumber(series, year, sequence) });
      numbered++;
    }
    return numbered;
  }

  async findById(id: string): Promise<Invoice | undefined> {
    return this.#invoices.get(id);
  }

  async findNumber(id: string): Promise<string | undefined> {
    return this.#invoices.get(id)?.number;
  }

  async findByOrderId(orderId: string): Promise<Invoice | undefined> {
    return this.#byOrder(orderId);
  }

  async markVoidIfIssued(id: string, reason: string, voidedAt: Date): Promise<Invoice | undefined> {
    const current = this.#invoices.get(id);
    if (current?.status !== Status.ISSUED) return undefined;
    const voided: Invoice = { ...current, status: Status.VOID, voidedAt, voidReason: reason };
    this.#invoices.set(id, voided);
    return voided;
  }

  async list(query: InvoiceListQuery): Promise<Invoice[]> {
    return [...this.#invoices.values()]
      .filter((invoice) => query.orderId === undefined || invoice.orderId === query.orderId)
      .filter((invoice) => query.customerId === undefined || invoice.customer.id === query.customerId)
      .filter((invoice) => query.afterId === undefined || invoice.id < query.afterId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, query.limit);
  }

  /** Test hook: the service has no payment flow yet, so tests put an invoice in PAID directly. */
  setStatus(id: string, status: InvoiceStatus): void {
    const current = this.#invoices.get(id);
    if (current === undefined) throw new Error(`no invoice ${id}`);
    this.#invoices.set(id, { ...current, status });
  }

  #byOrder(orderId: string): Invoice | undefined {
    return [...this.#invoices.values()].find((invoice) => invoice.orderId === orderId);
  }

  // Sortable like UUIDv7: later ids compare greater.
  #newId(): string {
    const n = this.#nextId++;
    return `00000000-0000-7000-8000-${String(n).padStart(12, "0")}`;
  }
}
