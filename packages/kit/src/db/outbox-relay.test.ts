import { sql } from "kysely";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { countdown, recordingLogger } from "./db.test-support.ts";
import type { KitTables } from "./kit-tables.ts";
import { openDatabase } from "./open-database.ts";
import { enqueueOutbox, type OutboxMessage } from "./outbox.ts";
import { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";

const SLOW = { timeout: 60_000 };

describe.each(testDatabaseKinds())("outbox relay on %s", SLOW, (kind) => {
  let testDb: TestDatabase;
  let database: Database<KitTables>;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "outbox");
    database = await openDatabase<KitTables>({ url: testDb.url });
    await database.migrate();
  }, SLOW.timeout);

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await database.db.deleteFrom("kit_outbox").execute();
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  }, SLOW.timeout);

  function relay(options: Partial<OutboxRelayOptions> & Pick<OutboxRelayOptions, "deliver">): OutboxRelay {
    const created = new OutboxRelay({ database, log: recordingLogger(), pollIntervalMs: 10, ...options });
    relays.push(created);
    return created;
  }

  async function enqueue(count: number, keyOf: (i: number) => string = (i) => `key-${i}`): Promise<string[]> {
    return database.transaction(async (trx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        ids.push(await enqueueOutbox(trx, { topic: "widget.changed", key: keyOf(i), payload: { n: i } }));
      }
      return ids;
    });
  }

  function rowOf(id: string) {
    return database.db.selectFrom("kit_outbox").where("id", "=", id).selectAll().executeTakeFirstOrThrow();
  }

  it("when messages are committed, then drainOnce delivers each once with its payload and marks it delivered", async () => {
    const ids = await enqueue(3);
    await database
      .transaction(async (trx) => {
        await enqueueOutbox(trx, { topic: "widget.changed", key: "ghost", payload: { ghost: true } });
        throw new Error("rolled back");
      })
      .catch(() => {});
    const delivered: OutboxMessage[] = [];

    const count = await relay({ deliver: async (m) => void delivered.push(m) }).drainOnce();

    expect(count).toBe(3);
    expect(delivered.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(delivered.map((m) => m.payload)).toEqual(expect.arrayContaining([{ n: 0 }, { n: 1 }, { n: 2 }]));
    expect(delivered.every((m) => m.attempts === 0 && m.createdAt instanceof Date)).toBe(true);
    const statuses = await database.db.selectFrom("kit_outbox").select("status").distinct().execute();
    expect(statuses).toEqual([{ status: "delivered" }]);
  });

  it("when the same id is enqueued twice, then it is stored and delivered once", async () => {
    const id = await database.transaction((trx) =>
      enqueueOutbox(trx, { topic: "t", key: "k", payload: [1, 2, 3] }),
    );
    await database.transaction((trx) => enqueueOutbox(trx, { id, topic: "t", key: "k", payload: [1, 2, 3] }));
    const delivered: OutboxMessage[] = [];
    await relay({ deliver: async (m) => void delivered.push(m) }).drainOnce();
    expect(delivered.map((m) => [m.id, m.payload])).toEqual([[id, [1, 2, 3]]]);
  });

  it("when the payload is not JSON, then enqueue rejects naming the field", async () => {
    await expect(
      enqueueOutbox(database.db, { topic: "t", key: "k", payload: undefined }),
    ).rejects.toMatchObject({
      reason: "VALIDATION_FAILED",
      details: { field: "payload" },
    });
  });

  it("when a relay is stopped mid-way and another starts, then every message is delivered and none is left", async () => {
    const ids = await enqueue(30);
    const seen = new Set<string>();
    const all = countdown(ids.length);
    const record = (m: OutboxMessage) => {
      if (!seen.has(m.id)) all.mark();
      seen.add(m.id);
    };
    let firstStopped: Promise<void> | undefined;
    let deliveredByFirst = 0;
    const first = relay({
      batchSize: 4,
      deliver: async (m) => {
        record(m);
        deliveredByFirst++;
        // Stop from inside a delivery: the in-flight batch still completes.
        if (deliveredByFirst === 10) firstStopped = first.stop();
      },
    });
    first.start();
    await until(() => firstStopped !== undefined);
    await firstStopped;
    expect(seen.size).toBeLessThan(ids.length);

    const second = relay({ batchSize: 4, deliver: async (m) => record(m) });
    second.start();
    await all.done;
    await second.stop();

    expect([...seen].sort()).toEqual([...ids].sort());
    const pending = await database.db
      .selectFrom("kit_outbox")
      .where("status", "=", "pending")
      .selectAll()
      .execute();
    expect(pending).toEqual([]);
  });

  it("when a relay dies holding a lease, then another relay delivers those messages once the lease expires", async () => {
    const ids = await enqueue(3);
    let releaseHung!: (err: Error) => void;
    const hungStarted = countdown(1);
    const crashed = relay({
      batchSize: 1,
      leaseMs: 300,
      deliver: () => {
        hungStarted.mark();
        return new Promise<void>((_, reject) => {
          releaseHung = reject;
        });
      },
    });
    crashed.start();
    await hungStarted.done;

    const seen = new Set<string>();
    const all = countdown(ids.length);
    const survivor = relay({
      deliver: async (m) => {
        if (!seen.has(m.id)) all.mark();
        seen.add(m.id);
      },
    });
    survivor.start();
    await all.done;
    await survivor.stop();
    expect([...seen].sort()).toEqual([...ids].sort());

    // The "dead" relay coming back must not undo the other relay's delivery.
    releaseHung(new Error("too late"));
    await crashed.stop();
    const statuses = await database.db.selectFrom("kit_outbox").select("status").distinct().execute();
    expect(statuses).toEqual([{ status: "delivered" }]);
  });

  it("when a message of a key fails, then later messages of that key wait and the key is delivered in created order", async () => {
    await enqueue(3, () => "order-a");
    await enqueue(2, () => "order-b");
    const attempts: Array<{ key: string; n: unknown }> = [];
    let failedOnce = false;
    await relay({
      backoff: { initialMs: 0, maxMs: 0 },
      deliver: async (m) => {
        attempts.push({ key: m.key, n: (m.payload as { n: number }).n });
        if (m.key === "order-a" && !failedOnce) {
          failedOnce = true;
          throw new Error("peer unavailable");
        }
      },
    }).drainOnce();

    expect(attempts.filter((a) => a.key === "order-a").map((a) => a.n)).toEqual([0, 0, 1, 2]);
    expect(attempts.filter((a) => a.key === "order-b").map((a) => a.n)).toEqual([0, 1]);
  });

  it("when delivery fails, then the message is rescheduled with backoff and not retried before it is due", async () => {
    const [id] = await enqueue(1);
    let calls = 0;
    const failing = relay({
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      deliver: async () => {
        calls++;
        throw new Error("connection refused");
      },
    });

    expect(await failing.drainOnce()).toBe(0);
    expect(await failing.drainOnce()).toBe(0);

    expect(calls).toBe(1);
    const row = await rowOf(id as string);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.last_error).toContain("connection refused");
    const { rows } = await sql<{ due_later: boolean }>`
      select next_attempt_at > now() as due_later from kit_outbox where id = ${id}
    `.execute(database.db);
    expect(rows[0]?.due_later).toBe(true);
  });

  it("when delivery keeps failing, then the message is dead-lettered after maxAttempts, kept, and its key moves on", async () => {
    const [poison, next] = await enqueue(2, () => "same-key");
    const attemptsById = new Map<string, number>();
    const deliver = async (m: OutboxMessage) => {
      attemptsById.set(m.id, (attemptsById.get(m.id) ?? 0) + 1);
      if (m.id === poison) throw new Error("always fails");
    };
    const dlq = relay({ maxAttempts: 3, backoff: { initialMs: 0, maxMs: 0 }, deliver });

    expect(await dlq.drainOnce()).toBe(1);
    expect(await dlq.drainOnce()).toBe(0);

    expect(attemptsById.get(poison as string)).toBe(3);
    expect(await rowOf(poison as string)).toMatchObject({ status: "dead", attempts: 3 });
    expect(await rowOf(next as string)).toMatchObject({ status: "delivered" });
  });

  it("when a registry is given, then delivery outcomes and the pending backlog are exported", async () => {
    const registry = new Registry();
    await enqueue(2);
    await database.transaction((trx) => enqueueOutbox(trx, { topic: "poison", key: "p", payload: {} }));
    await database.transaction((trx) => enqueueOutbox(trx, { topic: "later", key: "l", payload: {} }));
    const metered = relay({
      metrics: { registry },
      maxAttempts: 1,
      topics: ["widget.changed", "poison"],
      deliver: async (m) => {
        if (m.topic === "poison") throw new Error("bad");
      },
    });

    const before = await registry.metrics();
    expect(before).toContain('outbox_backlog{topic="widget.changed"} 2');
    await metered.drainOnce();
    const after = await registry.metrics();

    expect(after).toContain('outbox_delivered_total{topic="widget.changed"} 2');
    expect(after).toContain('outbox_delivery_failures_total{topic="poison"} 1');
    expect(after).toContain('outbox_dead_lettered_total{topic="poison"} 1');
    expect(after).toContain('outbox_backlog{topic="widget.changed"} 0');
    expect(after).toContain('outbox_backlog{topic="later"} 1');
  });

  it("when the database fails under a running relay, then it logs, keeps running and delivers once it recovers", async () => {
    const log = recordingLogger();
    const batchFailed = log.next("error", "outbox relay batch failed");
    const delivered = countdown(1);
    await sql`alter table kit_outbox rename to kit_outbox_away`.execute(database.db);
    try {
      relay({ log, deliver: async () => delivered.mark() }).start();
      await batchFailed;
    } finally {
      await sql`alter table kit_outbox_away rename to kit_outbox`.execute(database.db);
    }
    await enqueue(1);
    await delivered.done;
  });

  it("when a commit enqueues a message, then an idle relay wakes without waiting for its poll interval", async () => {
    const delivered = countdown(1);
    relay({ pollIntervalMs: 3_600_000, deliver: async () => delivered.mark() }).start();
    // Let the relay finish its first (empty) look before the message exists.
    await database.db.selectFrom("kit_outbox").selectAll().execute();
    await enqueue(1);
    await delivered.done;
  });

  it("when a large backlog drains, then other work on the event loop runs between batches", async () => {
    await enqueue(60);
    let deliveredCount = 0;
    let seenByOtherWork: number | undefined;
    setImmediate(() => {
      seenByOtherWork = deliveredCount;
    });
    await relay({ batchSize: 10, deliver: async () => void deliveredCount++ }).drainOnce();
    expect(deliveredCount).toBe(60);
    expect(seenByOtherWork).toBeLessThan(60);
  });
});

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
