import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import { recordingLogger } from "./db.test-support.ts";
import { openDatabase } from "./open-database.ts";

describe.runIf(testDatabaseKinds().includes("postgres"))("LISTEN on postgres", () => {
  it("when the listening connection is killed, then it reconnects and later notifications still arrive", async () => {
    const testDb = await createTestDatabase("postgres", "listen_reconnect");
    const log = recordingLogger();
    const database = await openDatabase({ url: testDb.url, log });
    try {
      const payloads: string[] = [];
      let onPayload: (() => void) | undefined;
      const unlisten = await database.listen("jobs", (payload) => {
        payloads.push(payload);
        onPayload?.();
      });
      const reconnected = log.next("info", "database LISTEN reconnected");

      await sql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query like 'LISTEN%'
      `.execute(database.db);
      await reconnected;
      const arrived = new Promise<void>((resolve) => {
        onPayload = resolve;
      });
      await database.notify("jobs", "after-reconnect");
      await arrived;

      expect(payloads).toEqual(["after-reconnect"]);
      expect(log.entries.some((e) => e.level === "warn" && e.msg?.includes("connection lost"))).toBe(true);
      await unlisten();
    } finally {
      await database.close();
      await testDb.drop();
    }
  });
});
