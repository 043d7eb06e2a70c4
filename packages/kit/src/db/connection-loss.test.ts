import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../testkit/src/db/index.ts";
import { postgresAdminUrl } from "../../../testkit/src/db/test-database.ts";
import { AppError, Code } from "../errors/index.ts";
import { isConnectionLoss } from "./connection-loss.ts";
import type { Database } from "./database.types.ts";
import {
  migrationsFolder,
  recordingLogger,
  WIDGET_MIGRATIONS,
  type WidgetTables,
} from "./db.test-support.ts";
import { openDatabase } from "./open-database.ts";

describe("isConnectionLoss", () => {
  it.each([
    [
      "pg_terminate_backend (57P01)",
      true,
      { code: "57P01", message: "terminating connection due to administrator command" },
    ],
    ["a connection exception (08006)", true, { code: "08006", message: "connection failure" }],
    ["a reset socket", true, { code: "ECONNRESET", message: "read ECONNRESET" }],
    ["pg's own message", true, new Error("Connection terminated unexpectedly")],
    ["no connection slot left (53300)", true, { code: "53300", message: "sorry, too many clients already" }],
    ["the pool's connect timeout", true, new Error("timeout exceeded when trying to connect")],
    ["a unique violation (23505)", false, { code: "23505", message: "duplicate key" }],
    ["a serialization failure (40001)", false, { code: "40001", message: "could not serialize" }],
  ])("when the error is %s, then it is a connection loss: %s", (_, lost, error) => {
    expect(isConnectionLoss(error)).toBe(lost);
  });
});

// Only a server can have its backends terminated; PGlite runs in-process.
describe.skipIf(!postgresAdminUrl())(
  "a PostgreSQL connection terminated under use",
  { timeout: 60_000 },
  () => {
    let testDb: TestDatabase;
    let migrations: Awaited<ReturnType<typeof migrationsFolder>>;
    let database: Database<WidgetTables>;
    let admin: Database<unknown>;
    const log = recordingLogger();
    const dbName = () => new URL(testDb.url).pathname.slice(1);
    const terminateAll = () =>
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName()} and pid <> pg_backend_pid()`.execute(
        admin.db,
      );

    beforeAll(async () => {
      testDb = await createTestDatabase("postgres", "connection_loss");
      migrations = await migrationsFolder(WIDGET_MIGRATIONS);
      database = await openDatabase<WidgetTables>({
        url: testDb.url,
        migrationsFolder: migrations.folder,
        log,
      });
      await database.migrate();
      admin = await openDatabase<unknown>({
        url: postgresAdminUrl() as string,
        migrationsFolder: migrations.folder,
      });
    });
    afterAll(async () => {
      await database?.close();
      await admin?.close();
      await testDb?.drop();
      await migrations?.remove();
    });

    it("when the backend is terminated mid-transaction, then that call fails UNAVAILABLE, the process lives, and the next call works", async () => {
      const failed = await database
        .transaction(async (trx) => {
          await sql`select 1`.execute(trx);
          await terminateAll();
          await sql`select pg_sleep(0.05)`.execute(trx);
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failed).toBeInstanceOf(AppError);
      expect(failed).toMatchObject({ code: Code.UNAVAILABLE, reason: "DATABASE_UNAVAILABLE" });
      // Idle pooled connections were terminated too: the pool must replace them, not hand them out.
      for (let i = 0; i < 12; i++) {
        const row = await sql<{ n: number }>`select 1 as n`.execute(database.db);
        expect(row.rows[0]?.n).toBe(1);
      }
    });

    it("when every connection is terminated while statements run, then none crashes the process and later statements succeed", async () => {
      const running = Array.from({ length: 8 }, () =>
        sql`select pg_sleep(0.2)`.execute(database.db).then(
          () => "ok",
          (error: unknown) => (error instanceof AppError ? error.code : "other"),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      await terminateAll();
      const outcomes = await Promise.all(running);
      expect(outcomes.every((o) => o === "ok" || o === Code.UNAVAILABLE)).toBe(true);
      expect(outcomes).toContain(Code.UNAVAILABLE);
      await expectRecovery(2);
    });

    /**
     * A pooled connection whose termination has not reached us yet may fail once more, as
     * UNAVAILABLE (what a client retries); within a few tries the pool has replaced it.
     */
    async function expectRecovery(n: number): Promise<void> {
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 5 && outcomes.at(-1) !== "ok"; attempt++) {
        try {
          const row = await sql<{ n: number }>`select ${n}::int as n`.execute(database.db);
          expect(row.rows[0]?.n).toBe(n);
          outcomes.push("ok");
        } catch (error) {
          outcomes.push(error instanceof AppError ? `code ${error.code}` : "other");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      expect(outcomes.at(-1)).toBe("ok");
      expect(outcomes.slice(0, -1).every((o) => o === `code ${Code.UNAVAILABLE}`)).toBe(true);
    }
  },
);
