import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import type { Database } from "./database.types.ts";
import {
  migrationsFolder,
  recordingLogger,
  WIDGET_MIGRATIONS,
  type WidgetTables,
} from "./db.test-support.ts";
import { openDatabase } from "./open-database.ts";

// initdb and first queries are slow on a loaded CI box; these budgets are for hangs, not speed.
const SLOW = { timeout: 60_000 };

describe.each(testDatabaseKinds())("openDatabase on %s", SLOW, (kind) => {
  let testDb: TestDatabase;
  let migrations: Awaited<ReturnType<typeof migrationsFolder>>;
  let database: Database<WidgetTables>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, "open_database");
    migrations = await migrationsFolder(WIDGET_MIGRATIONS);
    database = await openDatabase<WidgetTables>({ url: testDb.url, migrationsFolder: migrations.folder });
    await database.migrate();
  }, SLOW.timeout);

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    await migrations?.remove();
  }, SLOW.timeout);

  it("when migrated, then kit tables and the service's SQL files are applied, each tracked in its own table", async () => {
    expect(database.kind).toBe(kind);
    const kit = await sql<{ name: string }>`select name from kit_migration order by name`.execute(
      database.db,
    );
    const service = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      database.db,
    );
    expect(kit.rows.map((r) => r.name)).toEqual([
      "0001_kit_outbox",
      "0002_kit_inbox",
      "0003_kit_retention_indexes",
    ]);
    expect(service.rows.map((r) => r.name)).toEqual(["0001_init", "0002_size"]);
    const count = await sql<{ n: number }>`select widget_count() as n`.execute(database.db);
    expect(count.rows[0]?.n).toBe(1);
  });

  it("when the service starts again and migrates, then nothing is applied twice", async () => {
    const log = recordingLogger();
    const again = await openDatabase<WidgetTables>({
      url: testDb.url,
      migrationsFolder: migrations.folder,
      log,
    });
    try {
      await again.migrate();
      await again.migrate();
      const seeds = await again.db.selectFrom("widgets").where("name", "=", "seed").selectAll().execute();
      expect(seeds).toHaveLength(1);
      expect(log.entries.filter((e) => e.msg === "migration applied")).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it("when a transaction throws, then none of its writes remain", async () => {
    await expect(
      database.transaction(async (trx) => {
        await trx.insertInto("widgets").values({ name: "rolled-back" }).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const rows = await database.db
      .selectFrom("widgets")
      .where("name", "=", "rolled-back")
      .selectAll()
      .execute();
    expect(rows).toEqual([]);
  });

  it("when a transaction returns, then its writes are committed and its value returned", async () => {
    const id = await database.transaction(async (trx) => {
      const row = await trx
        .insertInto("widgets")
        .values({ name: "kept" })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    });
    const row = await database.db.selectFrom("widgets").where("id", "=", id).selectAll().executeTakeFirst();
    expect(row?.name).toBe("kept");
  });

  it("when reading int8, int8[] and timestamptz, then they come back as safe numbers and Dates", async () => {
    const seed = await database.db
      .selectFrom("widgets")
      .where("name", "=", "seed")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(seed.size).toBe(Number.MAX_SAFE_INTEGER);
    expect(typeof seed.id).toBe("number");
    expect(seed.created_at).toBeInstanceOf(Date);
    const { rows } = await sql<{ n: number; ids: Array<number | null> }>`
      select count(*) as n, array[1, null, 3]::int8[] as ids from widgets
    `.execute(database.db);
    expect(typeof rows[0]?.n).toBe("number");
    expect(rows[0]?.ids).toEqual([1, null, 3]);
  });

  it("when an int8 does not fit a safe integer, then the query fails instead of losing precision", async () => {
    await expect(sql`select 9007199254740993::int8 as n`.execute(database.db)).rejects.toThrow(
      /safe-integer/,
    );
    // The connection is still usable afterwards.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows[0]?.one).toBe(1);
  });

  it("when the health check runs, then it passes while open", async () => {
    expect(database.check.name).toBe("database");
    expect(database.check.required).toBe(true);
    await expect(database.check.check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
  });

  it("when notifying inside a transaction, then listeners get the payload only after commit, and never for a rollback", async () => {
    const received: string[] = [];
    let first!: (payload: string) => void;
    const firstPayload = new Promise<string>((resolve) => {
      first = resolve;
    });
    const unlisten = await database.listen("widgets_changed", (payload) => {
      received.push(payload);
      first(payload);
    });
    try {
      await database
        .transaction(async (trx) => {
          await database.notify("widgets_changed", "rolled-back", trx);
          throw new Error("abort");
        })
        .catch(() => {});
      await database.transaction(async (trx) => {
        await database.notify("widgets_changed", "committed", trx);
        expect(received).toEqual([]);
      });
      expect(await firstPayload).toBe("committed");
    } finally {
      await unlisten();
    }
  });

  it("when a listener unsubscribes, then it receives nothing more while others still do", async () => {
    const gone: string[] = [];
    const unlistenGone = await database.listen("widgets_changed", (p) => gone.push(p));
    await unlistenGone();
    const stillHere = new Promise<string>((resolve) => {
      void database.listen("widgets_changed", resolve).then((unlisten) => {
        void database.notify("widgets_changed", "after").then(() => resolveUnlisten(unlisten));
      });
    });
    let resolveUnlisten!: (u: () => Promise<void>) => void;
    const unlistenLater = new Promise<() => Promise<void>>((resolve) => {
      resolveUnlisten = resolve;
    });
    expect(await stillHere).toBe("after");
    await (await unlistenLater)();
    expect(gone).toEqual([]);
  });

  it("when a channel is not a lowercase identifier, then listen and notify reject it by name", async () => {
    await expect(database.listen("Bad Channel", () => {})).rejects.toMatchObject({
      reason: "VALIDATION_FAILED",
    });
    await expect(database.notify("x; drop table widgets", "p")).rejects.toThrow(/channel/);
  });

  it("when a service migration fails, then the error names it and none of that run is applied", async () => {
    const broken = await migrationsFolder({
      ...WIDGET_MIGRATIONS,
      "0003_ok.sql": "create table gadgets (id int primary key);",
      "0004_broken.sql": "create table oops (id int primary key); select no_such_function();",
    });
    const failing = await openDatabase({ url: testDb.url, migrationsFolder: broken.folder });
    try {
      await expect(failing.migrate()).rejects.toThrow(/0004_broken/);
      const { rows } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_name in ('gadgets', 'oops')
      `.execute(failing.db);
      expect(rows).toEqual([]);
    } finally {
      await failing.close();
      await broken.remove();
    }
  });

  it("when closed, then the health check fails and close can be called again", async () => {
    const other = await openDatabase({ url: testDb.url });
    await other.close();
    await expect(other.check.check(AbortSignal.timeout(5_000))).rejects.toThrow();
    await expect(other.close()).resolves.toBeUndefined();
  });
});

describe("openDatabase on pglite directories", SLOW, () => {
  it("when the pglite directory does not exist, then it is created (recursively) and usable", async () => {
    const parent = await createTestDatabase("pglite", "nested_dir");
    const url = `${parent.url}/${join("nested", "deeper")}`;
    const database = await openDatabase({ url });
    try {
      await database.migrate();
      const { rows } = await sql<{ n: number }>`select count(*) as n from kit_outbox`.execute(database.db);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await database.close();
      await parent.drop();
    }
  });

  it("when the url is pglite:memory, then the database lives in memory", async () => {
    const database = await openDatabase({ url: "pglite:memory" });
    try {
      expect(database.kind).toBe("pglite");
      await database.migrate();
      const { rows } = await sql<{ n: number }>`select count(*) as n from kit_inbox`.execute(database.db);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });

  it("when the url has an unknown scheme, then openDatabase rejects naming the url", async () => {
    await expect(openDatabase({ url: "mysql://x" })).rejects.toMatchObject({
      reason: "VALIDATION_FAILED",
      details: { field: "url" },
    });
  });
});
