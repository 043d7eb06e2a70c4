import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import type { KitTables } from "./kit-tables.ts";
import { openDatabase } from "./open-database.ts";
import { OutboxStore } from "./outbox.store.ts";
import { enqueueOutbox } from "./outbox.ts";

describe.each(testDatabaseKinds())("outbox store on %s", (kind) => {
  let testDb: TestDatabase;
  let database: Database<KitTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "outbox_store");
    database = await openDatabase<KitTables>({ url: testDb.url });
    await database.migrate();
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it("when delivered messages are older than the retention, then pruning deletes only those", async () => {
    const ids = await database.transaction(async (trx) => {
      const enqueue = (key: string) => enqueueOutbox(trx, { topic: "t", key, payload: {} });
      return {
        old: await enqueue("a"),
        recent: await enqueue("b"),
        dead: await enqueue("c"),
        pending: await enqueue("d"),
      };
    });
    await sql`update kit_outbox set status = 'delivered', delivered_at = now() - interval '2 days' where id = ${ids.old}`.execute(
      database.db,
    );
    await sql`update kit_outbox set status = 'delivered', delivered_at = now() where id = ${ids.recent}`.execute(
      database.db,
    );
    await sql`update kit_outbox set status = 'dead' where id = ${ids.dead}`.execute(database.db);

    const pruned = await new OutboxStore(database.db, undefined).pruneDelivered(86_400_000);

    expect(pruned).toBe(1);
    const left = await database.db.selectFrom("kit_outbox").select("id").execute();
    expect(left.map((r) => r.id).sort()).toEqual([ids.recent, ids.dead, ids.pending].sort());
  });

  it("when a relay is limited to topics, then it only leases those topics", async () => {
    await database.db.deleteFrom("kit_outbox").execute();
    await database.transaction(async (trx) => {
      await enqueueOutbox(trx, { topic: "mine", key: "k", payload: 1 });
      await enqueueOutbox(trx, { topic: "theirs", key: "k", payload: 2 });
    });

    const claimed = await new OutboxStore(database.db, ["mine"]).claim(10, 60_000);

    expect(claimed.map((m) => m.topic)).toEqual(["mine"]);
  });

  it("when a claim carries the ids just delivered, then it marks them delivered and leases their keys' next messages at once", async () => {
    await database.db.deleteFrom("kit_outbox").execute();
    const ids = await database.transaction(async (trx) => ({
      first: await enqueueOutbox(trx, { topic: "t", key: "k", payload: 1 }),
      second: await enqueueOutbox(trx, { topic: "t", key: "k", payload: 2 }),
      other: await enqueueOutbox(trx, { topic: "t", key: "other", payload: 3 }),
    }));
    const store = new OutboxStore(database.db, undefined);

    const first = await store.claim(10, 60_000);
    expect(first.map((m) => m.id)).toEqual([ids.first, ids.other]);
    // Only "first" was delivered; "other" stays leased (its delivery still running or failed).
    const next = await store.claim(10, 60_000, [ids.first]);

    expect(next.map((m) => m.id)).toEqual([ids.second]);
    const statuses = await database.db
      .selectFrom("kit_outbox")
      .select(["id", "status"])
      .orderBy("id")
      .execute();
    expect(statuses).toEqual([
      { id: ids.first, status: "delivered" },
      { id: ids.second, status: "pending" },
      { id: ids.other, status: "pending" },
    ]);
    await store.markDelivered([ids.second, ids.other]);
    const left = await database.db
      .selectFrom("kit_outbox")
      .select("id")
      .where("status", "=", "pending")
      .execute();
    expect(left).toEqual([]);
  });
});
