import { PGlite } from "@electric-sql/pglite";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { openDatabase } from "./open-database.ts";
import { PglitePreparedStatements } from "./pglite-prepared-statements.ts";
import { runSqlScript } from "./sql-script.ts";

// initdb and first queries are slow on a loaded CI box; these budgets are for hangs, not speed.
const SLOW = { timeout: 60_000 };

interface Tables {
  notes: { id: string; body: unknown; due: Date | null; done: boolean; size: number };
}

/** The prepared statements the PGlite backend holds, as PostgreSQL itself lists them. */
async function preparedTexts(db: Kysely<Tables>): Promise<string[]> {
  const result = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db);
  return result.rows.map((row) => row.statement);
}

describe("PGlite runs Kysely's statements as prepared statements", SLOW, () => {
  let testDb: TestDatabase;
  let database: Database<Tables>;

  beforeAll(async () => {
    testDb = await createTestDatabase("pglite", "pglite_prepared");
    database = await openDatabase<Tables>({ url: testDb.url });
    await runSqlScript(
      database.db as Kysely<unknown>,
      "create table notes (id text primary key, body jsonb not null, due timestamptz, done boolean not null, size bigint not null);",
    );
  }, SLOW.timeout);

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  }, SLOW.timeout);

  it("when the same statement runs many times, then each gets its own parameters and the backend holds it once", async () => {
    const due = new Date("2026-01-02T03:04:05.678Z");
    for (let i = 0; i < 10; i++) {
      await database.db
        .insertInto("notes")
        .values({
          id: `n${i}`,
          body: JSON.stringify({ i, tags: ["a"] }),
          due: i % 2 ? due : null,
          done: i > 4,
          size: i,
        })
        .execute();
    }
    const rows = await database.db.selectFrom("notes").selectAll().orderBy("size").execute();
    expect(rows).toHaveLength(10);
    expect(rows[3]).toEqual({ id: "n3", body: { i: 3, tags: ["a"] }, due, done: false, size: 3 });
    expect(rows[4]).toMatchObject({ due: null, done: false });
    expect(rows[5]).toMatchObject({ done: true, size: 5 });
    const inserts = (await preparedTexts(database.db)).filter((text) =>
      text.startsWith('insert into "notes"'),
    );
    expect(inserts).toHaveLength(1);
  });

  it("when an update matches rows, then the affected count is reported", async () => {
    const result = await database.db
      .updateTable("notes")
      .set({ done: true })
      .where("size", "<", 3)
      .executeTakeFirst();
    expect(result.numUpdatedRows).toBe(3n);
  });

  it("when a statement fails inside a transaction, then it rolls back and the same statement works afterwards", async () => {
    const insert = (id: string) =>
      database.db.insertInto("notes").values({ id, body: "{}", done: false, size: 0 });
    await expect(
      database.transaction(async (trx) => {
        await trx.insertInto("notes").values({ id: "tx-1", body: "{}", done: false, size: 0 }).execute();
        await trx.insertInto("notes").values({ id: "n0", body: "{}", done: false, size: 0 }).execute();
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await database.db.selectFrom("notes").select("id").where("id", "=", "tx-1").execute()).toEqual([]);
    await insert("after-failure").execute();
    expect(
      await database.db.selectFrom("notes").select("id").where("id", "=", "after-failure").execute(),
    ).toHaveLength(1);
  });

  it("when a script changes a table's columns, then a statement prepared before sees the new columns", async () => {
    const before = await sql<Record<string, unknown>>`select * from notes where id = ${"n1"}`.execute(
      database.db,
    );
    expect(Object.keys(before.rows[0] ?? {})).not.toContain("colour");
    await runSqlScript(
      database.db as Kysely<unknown>,
      "alter table notes add column colour text default 'red';",
    );
    const after = await sql<Record<string, unknown>>`select * from notes where id = ${"n1"}`.execute(
      database.db,
    );
    expect(after.rows[0]).toMatchObject({ id: "n1", colour: "red" });
  });

  it("when a plain DDL statement changes a table, then a statement prepared before sees the change", async () => {
    const read = () =>
      sql<Record<string, unknown>>`select * from notes where id = ${"n2"}`.execute(database.db);
    await read();
    await sql`alter table notes drop column colour`.execute(database.db);
    expect(Object.keys((await read()).rows[0] ?? {})).not.toContain("colour");
  });

  it("when a notification is sent inside a transaction, then the listener gets it after the commit", async () => {
    const received: string[] = [];
    const unlisten = await database.listen("notes_changed", (payload) => received.push(payload));
    await database.transaction(async (trx) => {
      await database.notify("notes_changed", "n1", trx);
      expect(received).toEqual([]);
    });
    await expect.poll(() => received).toEqual(["n1"]);
    await unlisten();
  });
});

describe("PglitePreparedStatements' bound", SLOW, () => {
  let testDb: TestDatabase;
  let pglite: PGlite;

  beforeAll(async () => {
    testDb = await createTestDatabase("pglite", "pglite_prepared_bound");
    pglite = new PGlite(testDb.url.slice("pglite:".length));
    await pglite.waitReady;
  }, SLOW.timeout);

  afterAll(async () => {
    await pglite?.close();
    await testDb?.drop();
  }, SLOW.timeout);

  it("when more distinct statements run than it keeps, then the oldest are closed in the backend", async () => {
    const statements = new PglitePreparedStatements(pglite, 2);
    for (const n of [1, 2, 3, 4]) {
      const result = await statements.query<{ n: number }>(`select ${n}::int + $1::int as n`, [10]);
      expect(result.rows).toEqual([{ n: n + 10 }]);
    }
    const held = await pglite.query<{ statement: string }>("select statement from pg_prepared_statements");
    expect(held.rows.map((row) => row.statement).sort()).toEqual([
      "select 3::int + $1::int as n",
      "select 4::int + $1::int as n",
    ]);
  });
});
