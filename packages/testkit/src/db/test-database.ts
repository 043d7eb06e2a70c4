export type TestDatabaseKind = "pglite" | "postgres";

export interface TestDatabase {
  /** Pass to openDatabase({ url }). */
  url: string;
  kind: TestDatabaseKind;
  /** Removes the database (idempotent); close your connections first. */
  drop(): Promise<void>;
}

/** The documented test switch: a server URL whose user may CREATE DATABASE. */
export const TEST_DATABASE_URL_VARIABLE = "ORDERLY_TEST_DATABASE_URL";

export function postgresAdminUrl(): string | undefined {
  const url = process.env[TEST_DATABASE_URL_VARIABLE];
  return url === undefined || url.trim() === "" ? undefined : url;
}

/** ["pglite"], plus "postgres" when ORDERLY_TEST_DATABASE_URL is set: run each db suite once per kind. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return postgresAdminUrl() === undefined ? ["pglite"] : ["pglite", "postgres"];
}

/** Lowercase [a-z0-9_], so a label is safe in a database name and a directory name. */
export function sanitizeLabel(label: string, maxLength: number): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return (clean || "db").slice(0, maxLength);
}
