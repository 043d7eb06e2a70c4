import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { recordInboxOnce } from "./inbox.ts";
import type { KitTables } from "./kit-tables.ts";
import { openDatabase } from "./open-database.ts";
import { uuidv7 } from "./uuidv7.ts";

const SLOW = { timeout: 60_000 };

describe.each(testDatabaseKinds())("inbox on %s", SLOW, (kind) => {
  let testDb: TestDatabase;
  let database: Database<KitTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "inbox");
    database = await openDatabase<KitTables>({ url: testDb.url });
    await database.migrate();
  }, SLOW.timeout);

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  }, SLOW.timeout);

  it("when the same event arrives twice, then only the first is reported as new", async () => {
    const event = { id: uuidv7(), source: "fulfillment" };
    const first = await database.transaction((trx) => recordInboxOnce(trx, event));
    const second = await database.transaction((trx) => recordInboxOnce(trx, event));
    expect([first, second]).toEqual([true, false]);
  });

  it("when two sources use the same event id, then each is new", async () => {
    const id = uuidv7();
    const fromA = await database.transaction((trx) => recordInboxOnce(trx, { id, source: "a" }));
    const fromB = await database.transaction((trx) => recordInboxOnce(trx, { id, source: "b" }));
    expect([fromA, fromB]).toEqual([true, true]);
  });

  it("when handling the event fails and the transaction rolls back, then a redelivery is new again", async () => {
    const event = { id: uuidv7(), source: "fulfillment" };
    await expect(
      database.transaction(async (trx) => {
        await recordInboxOnce(trx, event);
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    expect(await database.transaction((trx) => recordInboxOnce(trx, event))).toBe(true);
  });
});
