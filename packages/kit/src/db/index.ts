export {
  ADDRESS_COLUMN_NAMES,
  type AddressColumns,
  addressColumns,
  addressFromColumns,
} from "./address-columns.ts";
export { type BackoffOptions, backoffDelayMs } from "./backoff.ts";
export type {
  Database,
  DatabaseCheck,
  DatabaseKind,
  DatabaseOptions,
  DbLogger,
} from "./database.types.ts";
export { databaseClock } from "./database-clock.ts";
export { type ParsedDatabaseUrl, parseDatabaseUrl } from "./database-url.ts";
export { recordInboxOnce } from "./inbox.ts";
export type { KitInboxTable, KitOutboxTable, KitTables, OutboxStatus } from "./kit-tables.ts";
export { KyselyRepository } from "./kysely-repository.ts";
export { openDatabase } from "./open-database.ts";
export { enqueueOutbox, OUTBOX_CHANNEL, type OutboxEnqueue, type OutboxMessage } from "./outbox.ts";
export { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";
export { columnValues, type PrecompiledQuery, precompile } from "./precompiled-query.ts";
export {
  type KitRetention,
  kitRetentionRules,
  type PruneResult,
  pruneExpired,
  type RetentionRule,
} from "./retention.ts";
export { runSqlScript } from "./sql-script.ts";
export { uuidv7 } from "./uuidv7.ts";
