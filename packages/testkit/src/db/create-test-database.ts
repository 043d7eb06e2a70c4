import { createPgliteTestDatabase } from "./pglite-test-database.ts";
import { createPostgresTestDatabase } from "./postgres-test-database.ts";
import type { TestDatabase, TestDatabaseKind } from "./test-database.ts";

/**
 * An empty database of the given kind for one test file or test: pglite gives a fresh temp
 * directory ("pglite:/tmp/…"), postgres a new database on the ORDERLY_TEST_DATABASE_URL server.
 * Always drop() it in afterAll/afterEach.
 */
export function createTestDatabase(kind: TestDatabaseKind, label = "db"): Promise<TestDatabase> {
  return kind === "postgres" ? createPostgresTestDatabase(label) : createPgliteTestDatabase(label);
}
