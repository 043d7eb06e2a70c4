import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { recordInboxOnce } from "./inbox.ts";
import type { KitTables } from "./kit-tables.ts";
import { openDatabase } from "./open-database.ts";
import { enqueueOutbox } from "./outbox.ts";
import { kitRetentionRules, pruneExpired } from "./retention.ts";

const DAY_MS = 86_400_000;

describe.each(testDatabaseKinds())("retention on %s", (kind) => {
  let testDb: TestDatabase;
  let database: Database<KitTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "retention");
    database = await openDatabase<KitTables>({ url: testDb.url });
    await database.migrate();
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  beforeEach(async () => {
    await database.db.deleteFrom("kit_outbox").execute();
    await database.db.deleteFrom("kit_inbox").execute();
  });

  /** Outbox rows in each state; `oldDelivered` of them delivered two days ago. */
  async function seedOutbox(oldDelivered: number): Promise<Record<"recent" | "dead" | "pending", string>> {
    const ids = await database.transaction(async (trx) => {
      const enqueue = (key: string) => enqueueOutbox(trx, { topic: "t", key, payload: {} });
      for (let i = 0; i < oldDelivered; i++) await enqueue(`old-${i}`);
      return {
        recent: await enqueue("recent"),
        dead: await enqueue("dead"),
        pending: await enqueue("pending"),
      };
    });
    await sql`update kit_outbox set status = 'delivered', delivered_at = now() - interval '2 days' where key like 'old-%'`.execute(
      database.db,
    );
    await sql`update kit_outbox set status = 'delivered', delivered_at = now() where id = ${ids.recent}`.execute(
      database.db,
    );
    // Dead for long: still kept, it waits for an operator.
    await sql`update kit_outbox set status = 'dead', created_at = now() - interval '30 days' where id = ${ids.dead}`.execute(
      database.db,
    );
    return ids;
  }

  async function seedInbox(old: number, recent: number): Promise<void> {
    await database.transaction(async (trx) => {
      for (let i = 0; i < old; i++) await recordInboxOnce(trx, { source: "s", id: `old-${i}` });
      for (let i = 0; i < recent; i++) await recordInboxOnce(trx, { source: "s", id: `new-${i}` });
    });
    await sql`update kit_inbox set received_at = now() - interval '9 days' where id like 'old-%'`.execute(
      database.db,
    );
  }

  it("when rows are past their retention, then only those go, in batches of the given size", async () => {
    const kept = await seedOutbox(5);
    await seedInbox(3, 2);
    const batches: [string, number][] = [];

    const results = await pruneExpired(
      database.db,
      kitRetentionRules({ outboxDeliveredMs: DAY_MS, inboxMs: 8 * DAY_MS }),
      { batchSize: 2, onBatch: (table, deleted) => batches.push([table, deleted]) },
    );

    expect(results).toEqual([
      { table: "kit_outbox", deleted: 5 },
      { table: "kit_inbox", deleted: 3 },
    ]);
    expect(batches).toEqual([
      ["kit_outbox", 2],
      ["kit_outbox", 2],
      ["kit_outbox", 1],
      ["kit_inbox", 2],
      ["kit_inbox", 1],
    ]);
    const outbox = await database.db.selectFrom("kit_outbox").select("id").execute();
    expect(outbox.map((r) => r.id).sort()).toEqual(Object.values(kept).sort());
    const inbox = await database.db.selectFrom("kit_inbox").select("id").orderBy("id").execute();
    expect(inbox.map((r) => r.id)).toEqual(["new-0", "new-1"]);
  });

  it("when an expired inbox id is pruned and its event comes again, then it is accepted as new", async () => {
    await seedInbox(1, 0);
    await pruneExpired(database.db, kitRetentionRules({ outboxDeliveredMs: DAY_MS, inboxMs: 8 * DAY_MS }));

    const accepted = await database.transaction((trx) => recordInboxOnce(trx, { source: "s", id: "old-0" }));

    expect(accepted).toBe(true);
  });

  it("when a retention is 0, then that table keeps every row", async () => {
    await seedOutbox(2);
    await seedInbox(2, 0);

    const results = await pruneExpired(database.db, kitRetentionRules({ outboxDeliveredMs: 0, inboxMs: 0 }));

    expect(results).toEqual([]);
    expect(await database.db.selectFrom("kit_outbox").select("id").execute()).toHaveLength(5);
    expect(await database.db.selectFrom("kit_inbox").select("id").execute()).toHaveLength(2);
  });

  it("when asked to stop between batches, then it stops after the batch in progress", async () => {
    await seedOutbox(5);
    let batches = 0;

    const results = await pruneExpired(
      database.db,
      kitRetentionRules({ outboxDeliveredMs: DAY_MS, inboxMs: 0 }),
      { batchSize: 2, onBatch: () => batches++, shouldStop: () => batches >= 1 },
    );

    expect(results).toEqual([{ table: "kit_outbox", deleted: 2 }]);
    expect(await database.db.selectFrom("kit_outbox").select("id").execute()).toHaveLength(6);
  });
});
