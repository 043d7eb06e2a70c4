import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "@orderly/kit/db";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { sql } from "kysely";
import type { InvoiceDatabase } from "../schema.ts";

export const INVOICE_MIGRATIONS = fileURLToPath(new URL("../../../migrations", import.meta.url));

export interface InvoiceTestDatabase {
  readonly database: Database<InvoiceDatabase>;
  /** Where it is, for a second connection (another replica) to the same database. */
  readonly url: string;
  /** Empties every invoice table, counters included, so each test starts at number 1. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Opening a PGlite database can take seconds on a cold machine (initdb of the template). */
export const OPEN_TIMEOUT_MS = 60_000;
/** A ceiling, not a measurement: PGlite runs in-thread and a loaded CI box can make 50 issues slow. */
export const DB_TEST_TIMEOUT_MS = 60_000;

/** A migrated invoice database of `kind` (PGlite, or PostgreSQL when ORDERLY_TEST_DATABASE_URL is set). */
export async function openInvoiceTestDatabase(kind: TestDatabaseKind): Promise<InvoiceTestDatabase> {
  const target = await createTestDatabase(kind, "invoice");
  const database = await openDatabase<InvoiceDatabase>({
    url: target.url,
    migrationsFolder: INVOICE_MIGRATIONS,
  });
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    await target.drop();
    throw error;
  }
  return {
    database,
    url: target.url,
    // DELETE, not TRUNCATE: on PGlite a truncate rewrites files and costs ~10x more for these few rows.
    reset: async () => {
      await sql`delete from invoice_lines`.execute(database.db);
      await sql`delete from invoices`.execute(database.db);
      await sql`delete from invoice_counters`.execute(database.db);
    },
    close: async () => {
      await database.close();
      await target.drop();
    },
  };
}
