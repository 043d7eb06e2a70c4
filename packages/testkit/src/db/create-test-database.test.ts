import { access } from "node:fs/promises";
import { openDatabase } from "@orderly/kit/db";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "./create-test-database.ts";
import { TEST_DATABASE_URL_VARIABLE, testDatabaseKinds } from "./test-database.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("testDatabaseKinds", () => {
  const saved = process.env[TEST_DATABASE_URL_VARIABLE];
  afterEach(() => {
    if (saved === undefined) delete process.env[TEST_DATABASE_URL_VARIABLE];
    else process.env[TEST_DATABASE_URL_VARIABLE] = saved;
  });

  it("when ORDERLY_TEST_DATABASE_URL is unset, then only pglite runs; when set, postgres too", () => {
    delete process.env[TEST_DATABASE_URL_VARIABLE];
    expect(testDatabaseKinds()).toEqual(["pglite"]);
    process.env[TEST_DATABASE_URL_VARIABLE] = "postgres://postgres@127.0.0.1:5432/postgres";
    expect(testDatabaseKinds()).toEqual(["pglite", "postgres"]);
  });
});

describe("createTestDatabase pglite", () => {
  it("when created, then each is a separate, usable directory that drop removes", async () => {
    const [a, b] = await Promise.all([
      createTestDatabase("pglite", "Fixture A!"),
      createTestDatabase("pglite"),
    ]);
    try {
      expect(a.kind).toBe("pglite");
      expect(a.url).toMatch(/^pglite:\/.*orderly-test-fixture_a-/);
      expect(a.url).not.toBe(b.url);
      const database = await openDatabase({ url: a.url });
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      await database.close();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await a.drop();
      await b.drop();
    }
    expect(await exists(a.url.slice("pglite:".length))).toBe(false);
    await expect(a.drop()).resolves.toBeUndefined();
  });
});

describe.runIf(testDatabaseKinds().includes("postgres"))("createTestDatabase postgres", () => {
  it("when created, then the database exists and drop removes it even with a connection still open", async () => {
    const testDb = await createTestDatabase("postgres", "fixture");
    const name = new URL(testDb.url).pathname.slice(1);
    expect(name).toMatch(/^orderly_test_fixture_[0-9a-f]{8}$/);
    const leaked = new pg.Client({ connectionString: testDb.url });
    leaked.on("error", () => {});
    await leaked.connect();

    await testDb.drop();

    const admin = new pg.Client({ connectionString: process.env[TEST_DATABASE_URL_VARIABLE] });
    await admin.connect();
    try {
      const { rows } = await admin.query("select 1 from pg_database where datname = $1", [name]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
      await leaked.end().catch(() => {});
    }
  });
});
