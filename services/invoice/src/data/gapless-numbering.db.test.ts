import { type Database, openDatabase } from "@orderly/kit/db";
import type { AppError } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createInvoicingPolicy } from "../domain/invoicing-policy.ts";
import { eur, FixedClock, issueInput } from "../domain/testing/invoice-fixtures.ts";
import { type IssueInvoice, makeIssueInvoice } from "../domain/use-cases/issue-invoice.use-case.ts";
import { makeNumberPendingInvoices } from "../domain/use-cases/number-pending-invoices.use-case.ts";
import { KyselyInvoiceRepository } from "./invoice.repository.ts";
import { InvoiceNumberer } from "./invoice-numberer.ts";
import type { InvoiceDatabase } from "./schema.ts";
import {
  type InvoiceTestDatabase,
  OPEN_TIMEOUT_MS,
  openInvoiceTestDatabase,
} from "./testing/invoice-test-database.ts";

/** A ceiling, not a measurement: 10,000 issues on a loaded 2-core CI box. */
const MANY_TIMEOUT_MS = 300_000;
const year = 2026;
const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR"] });

/**
 * At most `limit` calls inside at a time, the rest queued: what a server's concurrency limit does.
 * Without it 10,000 calls would queue on a 10-connection pool past its 10 s acquire timeout on a
 * loaded machine, which tests the pool, not the numbering.
 */
function admission(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let inside = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (inside >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    inside++;
    try {
      return await work();
    } finally {
      inside--;
      queue.shift()?.();
    }
  };
}

/** One invoice replica: its own connection pool, repository, numberer and IssueInvoice. */
interface Replica {
  issue: IssueInvoice;
  numberer: InvoiceNumberer;
  errors: unknown[];
}

function replica(database: Database<InvoiceDatabase>): Replica {
  const invoices = new KyselyInvoiceRepository(database.db);
  const errors: unknown[] = [];
  const numberer = new InvoiceNumberer({
    numberPending: makeNumberPendingInvoices({ invoices, batchSize: 1000 }),
    intervalMs: 1000,
    onError: (error) => errors.push(error),
  });
  const clock = new FixedClock(new Date(`${year}-06-01T12:00:00Z`));
  const issue = makeIssueInvoice({ invoices, clock, policy, numbering: numberer });
  const admit = admission(200);
  return { issue: (input) => admit(() => issue(input)), numberer, errors };
}

const sequenceOf = (number: string) => Number(number.slice(`INV-${year}-`.length));
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

// On PGlite (one in-thread connection) transactions run one at a time, so it checks the logic with a
// smaller count; on PostgreSQL two replicas (two pools of 10, two numberers) truly overlap: that run
// proves the counter lock keeps two numberers from colliding. All calls are started at once.
for (const kind of testDatabaseKinds()) {
  describe(`gapless numbering under concurrency on ${kind}`, { timeout: MANY_TIMEOUT_MS }, () => {
    // PGlite blocks the event loop per query and is slow on a loaded machine: fewer there.
    const MANY = kind === "postgres" ? 10_000 : 300;
    let testDb: InvoiceTestDatabase;
    const pools: Database<InvoiceDatabase>[] = [];
    let replicas: Replica[];

    beforeAll(async () => {
      testDb = await openInvoiceTestDatabase(kind);
      if (kind === "postgres") {
        // Durability is not under test, throughput is needed: without a wait for fsync per commit the
        // 10,000 fit the pool's 10 s acquire timeout on a loaded 2-core machine. Set before the
        // replicas' pools connect, so every one of their sessions has it.
        const name = sql.raw(new URL(testDb.url).pathname.slice(1));
        await sql`alter database ${name} set synchronous_commit = off`.execute(testDb.database.db);
        for (let i = 0; i < 2; i++) pools.push(await openDatabase<InvoiceDatabase>({ url: testDb.url }));
      } else {
        pools.push(testDb.database);
      }
      replicas = pools.map(replica);
      for (const r of replicas) r.numberer.start();
    }, OPEN_TIMEOUT_MS);
    afterAll(async () => {
      for (const r of replicas ?? []) await r.numberer.stop();
      for (const pool of pools) if (pool !== testDb?.database) await pool.close();
      await testDb?.close();
    });
    beforeEach(() => testDb.reset());

    /** The i-th call goes to replica i mod n, as a load balancer would spread them. */
    const issue = (i: number, input = issueInput({ orderId: `order-${i}` })) =>
      (replicas[i % replicas.length] as Replica).issue(input);

    const storedSequences = async () =>
      (
        await sql<{ sequence: number | null }>`select sequence from invoices order by sequence`.execute(
          testDb.database.db,
        )
      ).rows.map((row) => row.sequence);

    it(`when ${MANY} different orders are invoiced at once, then they get exactly the numbers 1..${MANY}: no gap, no duplicate`, async () => {
      const invoices = await Promise.all(oneTo(MANY).map((i) => issue(i)));

      // Each caller was told its number (the pass it waited for numbered it), and that is what is stored.
      expect(invoices.map((invoice) => sequenceOf(invoice.number)).sort((a, b) => a - b)).toEqual(
        oneTo(MANY),
      );
      expect(await storedSequences()).toEqual(oneTo(MANY));
      expect(new Set(invoices.map((invoice) => invoice.orderId)).size).toBe(MANY);
      const counter = await testDb.database.db.selectFrom("invoice_counters").selectAll().execute();
      expect(counter).toEqual([{ series: "INV", year, last: MANY }]);
      expect(replicas.flatMap((r) => r.errors)).toEqual([]);
    });

    it("when the same order is issued 20 times at once, then one invoice exists and every caller gets it", async () => {
      const results = await Promise.all(oneTo(20).map((i) => issue(i, issueInput())));

      expect(new Set(results.map((invoice) => invoice.id)).size).toBe(1);
      expect(new Set(results.map((invoice) => invoice.number))).toEqual(new Set([`INV-${year}-000001`]));
      expect((await issue(0, issueInput({ orderId: "next" }))).number).toBe(`INV-${year}-000002`);
    });

    it("when one order races with two different contents, then one wins and the others are told ORDER_ALREADY_INVOICED", async () => {
      const a = issueInput();
      const b = issueInput({ lines: [{ sku: "OTHER", quantity: 1, unitPrice: eur(100) }] });
      const settled = await Promise.allSettled([a, b, a, b, a, b].map((input, i) => issue(i, input)));

      const invoices = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const reasons = settled.flatMap((s) =>
        s.status === "rejected" ? [(s.reason as AppError).reason] : [],
      );
      expect(new Set(invoices.map((invoice) => invoice.id)).size).toBe(1);
      expect(invoices).toHaveLength(3);
      expect(reasons).toEqual(["ORDER_ALREADY_INVOICED", "ORDER_ALREADY_INVOICED", "ORDER_ALREADY_INVOICED"]);
      expect(await storedSequences()).toEqual([1]);
    });

    it("when issues race with rejected requests, then rejections use no number", async () => {
      const settled = await Promise.allSettled(
        oneTo(30).map((i) =>
          issue(
            i,
            i % 3 === 0
              ? issueInput({ orderId: `bad-${i}`, currencyCode: "USD" })
              : issueInput({ orderId: `ok-${i}` }),
          ),
        ),
      );
      const invoices = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      expect(invoices.map((invoice) => sequenceOf(invoice.number)).sort((x, y) => x - y)).toEqual(oneTo(20));
      expect(await storedSequences()).toEqual(oneTo(20));
    });

    it("when invoices were stored but never numbered (their issuer died first), then a numberer's next pass numbers them", async () => {
      const repository = new KyselyInvoiceRepository(testDb.database.db);
      const stranded = makeIssueInvoice({
        invoices: repository,
        clock: new FixedClock(new Date(`${year}-06-01T12:00:00Z`)),
        policy,
        numbering: { numberSoon: async () => {} }, // the process died before asking
      });
      const unnumbered = await Promise.all(oneTo(5).map((i) => stranded(issueInput({ orderId: `x-${i}` }))));
      expect(unnumbered.map((invoice) => invoice.number)).toEqual(["", "", "", "", ""]);

      await (replicas[0] as Replica).numberer.numberSoon();
      expect(await storedSequences()).toEqual(oneTo(5));
      // A repeat of the issue now answers with the number.
      expect(sequenceOf((await issue(0, issueInput({ orderId: "x-3" }))).number)).toBeGreaterThan(0);
    });
  });
}
