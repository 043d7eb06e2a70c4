import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { databaseClock } from "./database-clock.ts";
import { openDatabase } from "./open-database.ts";

describe.each(testDatabaseKinds())("databaseClock on %s", (kind) => {
  let testDb: TestDatabase;
  let database: Database<unknown>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "database_clock");
    database = await openDatabase<unknown>({ url: testDb.url });
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it("when read, then it tells the database's time, and it moves on with real time", async () => {
    const clock = await databaseClock(database);
    const before = clock.now().getTime();
    const { rows } = await sql<{ now: Date | string }>`select now() as now`.execute(database.db);
    const after = clock.now().getTime();
    const dbNow = new Date(rows[0]?.now as Date).getTime();
    // Within a second of the database's own reading (the anchor is off by half a round trip at
    // most; the slack is for a loaded machine, not for precision).
    expect(Math.abs(dbNow - (before + after) / 2)).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now().getTime() - after).toBeGreaterThanOrEqual(19);
  });

  it("when the host's wall clock is moved, then the clock does not move with it", async () => {
    const clock = await databaseClock(database);
    const realDateNow = Date.now;
    const start = clock.now().getTime();
    Date.now = () => realDateNow() + 3_600_000;
    try {
      expect(Math.abs(clock.now().getTime() - start)).toBeLessThan(1000);
    } finally {
      Date.now = realDateNow;
    }
  });
});
