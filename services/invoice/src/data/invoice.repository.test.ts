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

    it("when an invoice is stored, then reading it back gives exactly what insertIssued returned", async () => {
      const { invoice, created } = await repository.insertIssued(draft("order-1"));
      expect(created).toBe(true);
      expect(invoice.number).toBe("INV-2026-000001");
      expect(await repository.findById(invoice.id)).toEqual(invoice);
      expect(await repository.findByOrderId("order-1")).toEqual(invoice);
    });

    it("when an order already has an invoice, then insertIssued stores nothing, returns it, and uses no number", async () => {
      const first = await repository.insertIssued(draft("order-1"));
      const second = await repository.insertIssued(draft("order-1", { currencyCode: "USD" }));
      expect(second).toEqual({ invoice: first.invoice, created: false });
      const next = await repository.insertIssued(draft("order-2"));
      expect(next.invoice.number).toBe("INV-2026-000002");
    });

    it("when storing fails after the number was taken, then the number is given back", async () => {
      // A line breaking a database check fails the insert after the counter was incremented.
      const broken = draft("order-1");
      const badLines = broken.lines.map((line) => ({ ...line, quantity: 0 }));
      await expect(repository.insertIssued({ ...broken, lines: badLines })).rejects.toThrow();
      expect(await repository.findByOrderId("order-1")).toBeUndefined();
      expect((await repository.insertIssued(draft("order-2"))).invoice.number).toBe("INV-2026-000001");
    });

    it("when the year changes, then each year counts from 1 independently", async () => {
      await repository.insertIssued(draft("a"));
      await repository.insertIssued(draft("b"));
      const next = await repository.insertIssued(
        draft("c", { year: 2027, issuedAt: new Date("2027-01-01T00:00:00Z") }),
      );
      const back = await repository.insertIssued(draft("d"));
      expect([next.invoice.number, back.invoice.number]).toEqual(["INV-2027-000001", "INV-2026-000003"]);
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
