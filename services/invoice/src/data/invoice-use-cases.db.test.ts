import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInvoicingPolicy } from "../domain/invoicing-policy.ts";
import { appErrorOf } from "../domain/testing/app-error-of.ts";
import { inlineNumbering } from "../domain/testing/inline-numbering.ts";
import { FixedClock, issueInput } from "../domain/testing/invoice-fixtures.ts";
import { makeGetInvoice } from "../domain/use-cases/get-invoice.use-case.ts";
import { makeIssueInvoice } from "../domain/use-cases/issue-invoice.use-case.ts";
import { makeListInvoices } from "../domain/use-cases/list-invoices.use-case.ts";
import { makeVoidInvoice } from "../domain/use-cases/void-invoice.use-case.ts";
import { KyselyInvoiceRepository } from "./invoice.repository.ts";
import {
  DB_TEST_TIMEOUT_MS,
  type InvoiceTestDatabase,
  OPEN_TIMEOUT_MS,
  openInvoiceTestDatabase,
} from "./testing/invoice-test-database.ts";

for (const kind of testDatabaseKinds()) {
  describe(`invoice use cases on ${kind}`, { timeout: DB_TEST_TIMEOUT_MS }, () => {
    let testDb: InvoiceTestDatabase;
    const clock = new FixedClock(new Date("2026-03-14T09:30:00Z"));
    let useCases: ReturnType<typeof wire>;

    function wire(invoices: KyselyInvoiceRepository) {
      const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR"] });
      return {
        issue: makeIssueInvoice({ invoices, clock, policy, numbering: inlineNumbering(invoices) }),
        get: makeGetInvoice({ invoices }),
        void: makeVoidInvoice({ invoices, clock }),
        list: makeListInvoices({ invoices }),
      };
    }

    beforeAll(async () => {
      testDb = await openInvoiceTestDatabase(kind);
      useCases = wire(new KyselyInvoiceRepository(testDb.database.db));
    }, OPEN_TIMEOUT_MS);
    afterAll(() => testDb?.close());
    beforeEach(() => testDb.reset());

    it("when an invoice is issued, then GetInvoice returns it exactly, totals included", async () => {
      const issued = await useCases.issue(issueInput());
      expect(await useCases.get({ id: issued.id })).toEqual(issued);
      expect([issued.subtotal.amountMinor, issued.tax.amountMinor, issued.total.amountMinor]).toEqual([
        8548, 1624, 10172,
      ]);
    });

    it("when the currency is not accepted, then nothing is stored and no number is used", async () => {
      const usd = { currencyCode: "USD", amountMinor: 100 };
      const error = await appErrorOf(
        useCases.issue(
          issueInput({ currencyCode: "USD", lines: [{ sku: "A", quantity: 1, unitPrice: usd }] }),
        ),
      );
      expect(error.reason).toBe("UNSUPPORTED_CURRENCY");
      expect((await useCases.list({ orderId: "order-1" })).invoices).toEqual([]);
      expect((await useCases.issue(issueInput())).number).toBe("INV-2026-000001");
    });

    it("when an invoice is voided twice, then the second call returns the first void unchanged", async () => {
      const issued = await useCases.issue(issueInput());
      clock.set(new Date("2026-03-20T10:00:00Z"));
      const first = await useCases.void({ id: issued.id, reason: "order cancelled" });
      clock.set(new Date("2026-03-21T10:00:00Z"));
      const second = await useCases.void({ id: issued.id, reason: "again" });
      expect(second).toEqual(first);
      expect(first).toMatchObject({
        status: "VOID",
        voidReason: "order cancelled",
        voidedAt: new Date("2026-03-20T10:00:00Z"),
      });
      expect(await useCases.get({ id: issued.id })).toEqual(first);
    });

    it("when one invoice is voided by 10 callers at once, then all see the same single void", async () => {
      const issued = await useCases.issue(issueInput());
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => useCases.void({ id: issued.id, reason: `reason ${i}` })),
      );
      expect(new Set(results.map((r) => `${r.voidReason}@${r.voidedAt?.toISOString()}`)).size).toBe(1);
      expect(await useCases.get({ id: issued.id })).toEqual(results[0]);
    });

    it("when a paid invoice is voided, then FAILED_PRECONDITION INVOICE_PAID", async () => {
      const issued = await useCases.issue(issueInput());
      await sql`update invoices set status = 'PAID' where id = ${issued.id}`.execute(testDb.database.db);
      const error = await appErrorOf(useCases.void({ id: issued.id, reason: "order cancelled" }));
      expect([error.code, error.reason]).toEqual([Code.FAILED_PRECONDITION, "INVOICE_PAID"]);
    });

    it("when an unknown id is read or voided, then NOT_FOUND INVOICE_NOT_FOUND", async () => {
      const id = "0190a4c8-0000-7000-8000-000000000000";
      expect((await appErrorOf(useCases.get({ id }))).reason).toBe("INVOICE_NOT_FOUND");
      expect((await appErrorOf(useCases.void({ id, reason: "x" }))).reason).toBe("INVOICE_NOT_FOUND");
    });

    it("when a customer's invoices are paged through, then every invoice appears exactly once", async () => {
      for (let i = 0; i < 7; i++) {
        clock.set(new Date(Date.UTC(2026, 2, 14, 9, 0, i)));
        await useCases.issue(issueInput({ orderId: `order-${i}` }));
      }
      const seen: string[] = [];
      let pageToken = "";
      do {
        const page = await useCases.list({ customerId: "customer-1", pageSize: 3, pageToken });
        seen.push(...page.invoices.map((i) => i.orderId));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      expect(seen).toEqual(["order-6", "order-5", "order-4", "order-3", "order-2", "order-1", "order-0"]);
    });
  });
}
