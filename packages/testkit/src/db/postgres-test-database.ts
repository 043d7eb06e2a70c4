import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  postgresAdminUrl,
  sanitizeLabel,
  TEST_DATABASE_URL_VARIABLE,
  type TestDatabase,
} from "./test-database.ts";

/** CREATE DATABASE orderly_test_<label>_<random> on the ORDERLY_TEST_DATABASE_URL server. */
export async function createPostgresTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = postgresAdminUrl();
  if (adminUrl === undefined) {
    throw new Error(`${TEST_DATABASE_URL_VARIABLE} is not set; use testDatabaseKinds() to pick kinds`);
  }
  // 63 is PostgreSQL's identifier limit: "orderly_test_" + label + "_" + 8 hex chars.
  const name = `orderly_test_${sanitizeLabel(label, 40)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    kind: "postgres",
    drop() {
      dropped ??= withAdmin(adminUrl, async (admin) => {
        // Leaked connections (a test that failed before close) must not keep the database alive.
        await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
          [name],
        );
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
      return dropped;
    },
  };
}

async function withAdmin(adminUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
