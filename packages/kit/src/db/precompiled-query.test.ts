import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import { migrationsFolder, WIDGET_MIGRATIONS, type WidgetTables } from "./db.test-support.ts";
import { openDatabase } from "./open-database.ts";
import { precompile } from "./precompiled-query.ts";

const insertWidget = precompile((db: Kysely<WidgetTables>, p: { name: string; size: number }) =>
  db.insertInto("widgets").values({ name: p.name, size: p.size }).returning(["id", "name", "size"]),
);

const growWidget = precompile((db: Kysely<WidgetTables>, p: { id: number; by: number }) =>
  db
    .updateTable("widgets")
    .set((eb) => ({ size: eb("size", "+", p.by), name: "grown" }))
    .where("id", "=", p.id)
    .where("name", "<>", "frozen"),
);

describe.each(testDatabaseKinds())("precompiled query on %s", (kind) => {
  let testDb: TestDatabase;
  let database: Database<WidgetTables>;
  let migrations: Awaited<ReturnType<typeof migrationsFolder>>;

  beforeAll(async () => {
    migrations = await migrationsFolder(WIDGET_MIGRATIONS);
    testDb = await createTestDatabase(kind, "precompiled_query");
    // One connection, so the prepared statements of the test below live where it looks for them.
    database = await openDatabase<WidgetTables>({
      url: testDb.url,
      migrationsFolder: migrations.folder,
      poolSize: 1,
    });
    await database.migrate();
  });

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    await migrations?.remove();
  });

  it("when run with new values each time, then each run binds its own values and the builder's constants", async () => {
    const first = await insertWidget.execute(database.db, { name: "a", size: 1 });
    const second = await insertWidget.execute(database.db, { name: "b", size: 2 });
    expect(first.rows).toEqual([{ id: expect.any(Number), name: "a", size: 1 }]);
    expect(second.rows).toEqual([{ id: expect.any(Number), name: "b", size: 2 }]);
    const id = second.rows[0]?.id ?? -1;

    const grown = await growWidget.execute(database.db, { id, by: 40 });
    expect(grown.numAffectedRows).toBe(1n);
    const row = await database.db
      .selectFrom("widgets")
      .select(["name", "size"])
      .where("id", "=", id)
      .executeTakeFirst();
    expect(row).toEqual({ name: "grown", size: 42 });
    // The constant "frozen" is not a parameter: another id still matches nothing it should not.
    expect((await growWidget.execute(database.db, { id: -1, by: 1 })).numAffectedRows).toBe(0n);
  });

  it("when run inside a transaction that rolls back, then its write is rolled back with it", async () => {
    const marker = "rolled-back";
    await expect(
      database.transaction(async (trx) => {
        await insertWidget.execute(trx, { name: marker, size: 3 });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const rows = await database.db.selectFrom("widgets").select("id").where("name", "=", marker).execute();
    expect(rows).toEqual([]);
  });

  it.runIf(kind === "postgres")(
    "when run on PostgreSQL, then the connection keeps it as a named prepared statement",
    async () => {
      await insertWidget.execute(database.db, { name: "c", size: 4 });
      const { rows } = await sql<{ name: string }>`
      select name from pg_prepared_statements where statement = ${insertWidget.sql(database.db)}`.execute(
        database.db,
      );
      expect(rows).toEqual([{ name: expect.stringMatching(/^orderly_\d+$/) }]);
    },
  );
});

describe("precompile", () => {
  it("when a parameter is spliced into the SQL text instead of bound, then compiling fails naming why", async () => {
    const testDb = await createTestDatabase("pglite", "precompiled_query_bad");
    const database = await openDatabase<WidgetTables>({ url: testDb.url });
    try {
      const spliced = precompile((db: Kysely<WidgetTables>, p: { name: string }) =>
        db.selectFrom("widgets").select("id").where("name", "=", sql.lit(p.name)),
      );
      await expect(spliced.execute(database.db, { name: "x" })).rejects.toThrow(/inside the SQL text/);
    } finally {
      await database.close();
      await testDb.drop();
    }
  });

  it.each([
    ["JSON.stringify", (p: { name: string }) => JSON.stringify(p.name)],
    ["a template string", (p: { name: string }) => `${p.name}%`],
  ])(
    "when a parameter is transformed before binding (%s), then compiling fails instead of freezing it",
    async (_, transform) => {
      const testDb = await createTestDatabase("pglite", "precompiled_query_transformed");
      const database = await openDatabase<WidgetTables>({ url: testDb.url });
      try {
        const frozen = precompile((db: Kysely<WidgetTables>, p: { name: string }) =>
          db.selectFrom("widgets").select("id").where("name", "=", transform(p)),
        );
        await expect(frozen.execute(database.db, { name: "x" })).rejects.toThrow(
          /transformed before binding/,
        );
      } finally {
        await database.close();
        await testDb.drop();
      }
    },
  );

  it.each([
    ["selectAll()", (db: Kysely<WidgetTables>) => db.selectFrom("widgets").selectAll()],
    ["returningAll()", (db: Kysely<WidgetTables>) => db.deleteFrom("widgets").returningAll()],
    ["a table's *", (db: Kysely<WidgetTables>) => db.selectFrom("widgets").selectAll("widgets")],
  ])(
    "when a statement reads * (%s), then compiling fails: its prepared result would break on a new column",
    async (_, build) => {
      const testDb = await createTestDatabase("pglite", "precompiled_query_star");
      const database = await openDatabase<WidgetTables>({ url: testDb.url });
      try {
        const star = precompile((db: Kysely<WidgetTables>) => build(db));
        await expect(star.execute(database.db, {})).rejects.toThrow(/name the columns instead of \*/);
      } finally {
        await database.close();
        await testDb.drop();
      }
    },
  );
});
