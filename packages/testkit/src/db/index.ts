export { createTestDatabase } from "./create-test-database.ts";
export { snapshotTables, type TableSnapshot } from "./table-snapshot.ts";
export {
  TEST_DATABASE_URL_VARIABLE,
  type TestDatabase,
  type TestDatabaseKind,
  testDatabaseKinds,
} from "./test-database.ts";
