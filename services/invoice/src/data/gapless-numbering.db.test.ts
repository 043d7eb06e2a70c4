import type { AppError } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Invoice } from "../domain/invoice.ts";
import { createInvoicingPolicy } from "../domain/invoicing-policy.ts";
import { eur, FixedClock, issueInput } from "../domain/testing/invoice-fixtures.ts";
import { type IssueInvoice, makeIssueInvoice } from "../domain/use-cases/issue-invoice.use-case.ts";
import { KyselyInvoiceRepository } from "./invoice.repository.ts";
import {
  DB_TEST_TIMEOUT_MS,
  type InvoiceTestDatabase,
  OPEN_TIMEOUT_MS,
  openInvoiceTestDatabase,
} from "./testing/invoice-test-database.ts";

const sequenceOf = (invoice: Invoice) => Number(invoice.number.slice("INV-2026-".length));

// On PGlite (one connection) these calls are interleaved but their transactions run one at a time;
// on PostgreSQL (pool of 10) they truly overlap: that run is the one that proves the locking.
for (const kind of testDatabaseKinds()) {
  describe(`gapless numbering under concurrency on ${kind}`, { timeout: DB_TEST_TIMEOUT_MS }, () => {
    let testDb: InvoiceTestDatabase;
    let repository: KyselyInvoiceRepository;
    let issueInvoice: IssueInvoice;

    beforeAll(async () => {
      testDb = await openInvoiceTestDatabase(kind);
      repository = new KyselyInvoiceRepository(testDb.database.db);
      const policy = createInvoicingPolicy({ taxRateBps: 1900, acceptedCurrencies: ["EUR"] });
      const clock = new FixedClock(new Date("2026-06-01T12:00:00Z"));
      issueInvoice = makeIssueInvoice({ invoices: repository, clock, policy });
    }, OPEN_TIMEOUT_MS);
    afterAll(() => testDb?.close());
    beforeEach(() => testDb.reset());

    it("when 50 different orders are invoiced at once, then they get exactly the numbers 1..50", async () => {
      const orders = Array.from({ length: 50 }, (_, i) => `order-${i}`);
      const invoices = await Promise.all(orders.map((orderId) => issueInvoice(issueInput({ orderId }))));

      const sequences = invoices.map(sequenceOf).sort((a, b) => a - b);
      expect(sequences).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(new Set(invoices.map((i) => i.orderId)).size).toBe(50);
      // What the callers were told is what was stored.
      const stored = await repository.list({ customerId: "customer-1", limit: 100 });
      expect(stored.map((i) => i.number).sort()).toEqual(invoices.map((i) => i.number).sort());
    });

    it("when the same order is issued 20 times at once, then one invoice exists and every caller gets it", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => issueInvoice(issueInput())));

      expect(new Set(results.map((i) => i.id)).size).toBe(1);
      expect(results[0]?.number).toBe("INV-2026-000001");
      expect(await repository.list({ orderId: "order-1", limit: 100 })).toHaveLength(1);
      // The losers' rolled-back attempts gave their numbers back.
      expect((await issueInvoice(issueInput({ orderId: "next" }))).number).toBe("INV-2026-000002");
    });

    it("when one order races with two different contents, then one wins and the others are told ORDER_ALREADY_INVOICED", async () => {
      const a = issueInput();
      const b = issueInput({ lines: [{ sku: "OTHER", quantity: 1, unitPrice: eur(100) }] });
      const settled = await Promise.allSettled([a, b, a, b, a, b].map((input) => issueInvoice(input)));

      const invoices = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const reasons = settled.flatMap((s) =>
        s.status === "rejected" ? [(s.reason as AppError).reason] : [],
      );
      expect(new Set(invoices.map((i) => i.id)).size).toBe(1);
      expect(invoices).toHaveLength(3);
      expect(reasons).toEqual(["ORDER_ALREADY_INVOICED", "ORDER_ALREADY_INVOICED", "ORDER_ALREADY_INVOICED"]);
      expect(await repository.list({ orderId: "order-1", limit: 100 })).toHaveLength(1);
    });

    it("when issues race with rejected requests, then rejections use no number", async () => {
      const inputs = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? issueInput({ orderId: `bad-${i}`, currencyCode: "USD" })
          : issueInput({ orderId: `ok-${i}` }),
      );
      const settled = await Promise.allSettled(inputs.map((input) => issueInvoice(input)));
      const invoices = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      expect(invoices.map(sequenceOf).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });
  });
}
