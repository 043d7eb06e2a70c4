import { testDatabaseKinds } from "@orderly/testkit/db";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewInvoice } from "../domain/invoice.ts";
import { computeInvoiceTotals } from "../domain/invoice-totals.ts";
import { KyselyInvoiceRepository } from "./invoice.repository.ts";
import {
  DB_TEST_TIMEOUT_MS,
  type InvoiceTestDatabase,
  OPEN_TIMEOUT_MS,
  openInvoiceTestDatabase,
} from "./testing/invoice-test-database.ts";

function draft(orderId: string, overrides: Partial<NewInvoice> = {}): NewInvoice {
  const totals = computeInvoiceTotals(
    "EUR",
    [
      { sku: "BOOK-1", description: "Notes (2nd ed.)", quantity: 2, unitPriceMinor: 1999 },
      { sku: "PEN-7", description: "", quantity: 1, unitPriceMinor: 4550 },
    ],
    1900,
  );
  return {
    ...totals,
    orderId,
    customer: {
      id: "customer-1",
      name: "Ada Lovelace",
      email: "",
      address: { name: "", line1: "1 Main St", line2: "", city: "London", postalCode: "", countryCode: "GB" },
    },
    currencyCode: "EUR",
    issuedAt: new Date("2026-03-14T09:30:00.123Z"),
    series: "INV",
    year: 2026,
    ...overrides,
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`KyselyInvoiceRepository on ${kind}`, { timeout: DB_TEST_TIMEOUT_MS }, () => {
    let testDb: InvoiceTestDatabase;
    let repository: KyselyInvoiceRepository;

    beforeAll(async () => {
      testDb = await openInvoiceTestDatabase(kind);
      repository = new KyselyInvoiceRepository(testDb.database.db);
    }, OPEN_TIMEOUT_MS);
    afterAll(() => testDb?.close());
    beforeEach(() => testDb.reset());

    /** The number the invoice has now ("" while unnumbered). */
    const numberOf = async (id: string) => (await repository.findById(id))?.number;

    it("when an invoice is stored, then it reads back as returned, unnumbered until a numbering pass numbers it", async () => {
      const { invoice, created } = await repository.insertIssued(draft("order-1"));
      expect(created).toBe(true);
      expect(invoice.number).toBe("");
      expect(await repository.findById(invoice.id)).toEqual(invoice);
      expect(await repository.findByOrderId("order-1")).toEqual(invoice);
      expect(await repository.numberPending(100)).toBe(1);
      expect(await repository.findById(invoice.id)).toEqual({ ...invoice, number: "INV-2026-000001" });
      expect(await repository.numberPending(100)).toBe(0);
    });

    it("when an order already has an invoice, then insertIssued stores nothing, returns it, and uses no number", async () => {
      const first = await repository.insertIssued(draft("order-1"));
      const second = await repository.insertIssued(draft("order-1", { currencyCode: "USD" }));
      expect(second).toEqual({ invoice: first.invoice, created: false });
      const later = new Date("2026-03-14T10:00:00Z");
      const next = await repository.insertIssued(draft("order-2", { issuedAt: later }));
      expect(await repository.numberPending(100)).toBe(2);
      expect([await numberOf(first.invoice.id), await numberOf(next.invoice.id)]).toEqual([
        "INV-2026-000001",
        "INV-2026-000002",
      ]);
    });

    it("when storing fails, then nothing is stored and no number is used", async () => {
      const broken = draft("order-1");
      const badLines = broken.lines.map((line) => ({ ...line, quantity: 0 }));
      await expect(repository.insertIssued({ ...broken, lines: badLines })).rejects.toThrow();
      expect(await repository.findByOrderId("order-1")).toBeUndefined();
      const { invoice } = await repository.insertIssued(draft("order-2"));
      await repository.numberPending(100);
      expect(await numberOf(invoice.id)).toBe("INV-2026-000001");
    });

    it("when the year changes, then each year counts from 1 independently", async () => {
      await repository.insertIssued(draft("a"));
      await repository.insertIssued(draft("b"));
      await repository.numberPending(100);
      const next = await repository.insertIssued(
        draft("c", { year: 2027, issuedAt: new Date("2027-01-01T00:00:00Z") }),
      );
      const back = await repository.insertIssued(draft("d", { issuedAt: new Date("2026-03-15T00:00:00Z") }));
      expect(await repository.numberPending(100)).toBe(2);
      expect([await numberOf(next.invoice.id), await numberOf(back.invoice.id)]).toEqual([
        "INV-2027-000001",
        "INV-2026-000003",
      ]);
    });

    it("when more invoices wait than a batch takes, then each pass numbers one batch, in issue order", async () => {
      // Inserted newest first, so issue order is not insertion order.
      const ids: string[] = [];
      for (let i = 4; i >= 0; i--) {
        const issuedAt = new Date(Date.UTC(2026, 2, 14, 9, 0, i));
        ids[i] = (await repository.insertIssued(draft(`order-${i}`, { issuedAt }))).invoice.id;
      }
      expect(await repository.numberPending(2)).toBe(2);
      expect(await numberOf(ids[0] ?? "")).toBe("INV-2026-000001");
      expect(await numberOf(ids[2] ?? "")).toBe("");
      expect(await repository.numberPending(2)).toBe(2);
      expect(await repository.numberPending(2)).toBe(1);
      const numbers = await Promise.all(ids.map(numberOf));
      expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => `INV-2026-00000${n}`));
    });

    it("when an unnumbered invoice is voided, then it is still numbered, and keeps its number", async () => {
      const { invoice } = await repository.insertIssued(draft("order-1"));
      await repository.markVoidIfIssued(invoice.id, "cancelled", new Date("2026-04-01T08:00:00Z"));
      await repository.numberPending(100);
      expect(await repository.findById(invoice.id)).toMatchObject({
        status: "VOID",
        number: "INV-2026-000001",
      });
    });

    it("when an ISSUED invoice is voided, then only the first void changes it", async () => {
      const { invoice } = await repository.insertIssued(draft("order-1"));
      const at = new Date("2026-04-01T08:00:00Z");
      const voided = await repository.markVoidIfIssued(invoice.id, "cancelled", at);
      expect(voided).toEqual({ ...invoice, status: "VOID", voidedAt: at, voidReason: "cancelled" });
      expect(await repository.markVoidIfIssued(invoice.id, "again", new Date())).toBeUndefined();
      expect(await repository.findById(invoice.id)).toEqual(voided);
    });

    it("when a PAID invoice is asked to be voided, then it is left alone", async () => {
      const { invoice } = await repository.insertIssued(draft("order-1"));
      await sql`update invoices set status = 'PAID' where id = ${invoice.id}`.execute(testDb.database.db);
      expect(await repository.markVoidIfIssued(invoice.id, "cancelled", new Date())).toBeUndefined();
      expect((await repository.findById(invoice.id))?.status).toBe("PAID");
    });

    it("when listing, then filters apply, newest come first, and afterId continues strictly after", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const issuedAt = new Date(Date.UTC(2026, 2, 14, 9, 0, i));
        const customer = { ...draft("x").customer, id: i % 2 === 0 ? "even" : "odd" };
        ids.push((await repository.insertIssued(draft(`order-${i}`, { issuedAt, customer }))).invoice.id);
      }
      const even = await repository.list({ customerId: "even", limit: 10 });
      expect(even.map((i) => i.orderId)).toEqual(["order-4", "order-2", "order-0"]);
      expect(even[0]?.lines).toHaveLength(2);
      const after = await repository.list({ customerId: "even", afterId: ids[4], limit: 1 });
      expect(after.map((i) => i.orderId)).toEqual(["order-2"]);
      expect(
        (await repository.list({ orderId: "order-3", customerId: "odd", limit: 10 })).map((i) => i.id),
      ).toEqual([ids[3]]);
      expect(await repository.list({ orderId: "order-3", customerId: "even", limit: 10 })).toEqual([]);
    });

    it("when an id is unknown, then nothing is found", async () => {
      expect(await repository.findById("0190a4c8-0000-7000-8000-000000000000")).toBeUndefined();
    });
  });
}
