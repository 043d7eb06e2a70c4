import type { Migration, MigrationProvider } from "kysely/migration";
import { runSqlScript } from "./sql-script.ts";

/** The kit's own tables, recorded in `kit_migration` so their names never meet a service's. */
export const KIT_MIGRATION_TABLE = "kit_migration";
export const KIT_MIGRATION_LOCK_TABLE = "kit_migration_lock";

const OUTBOX = `
create table kit_outbox (
  id uuid primary key,
  topic text not null,
  key text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  -- clock_timestamp, not now(): rows enqueued in one transaction still get distinct, ordered times.
  created_at timestamptz not null default clock_timestamp(),
  delivered_at timestamptz
);
-- The relay's two questions: what is due, and is an older message for this key still pending.
create index kit_outbox_due_idx on kit_outbox (next_attempt_at) where status = 'pending';
create index kit_outbox_key_idx on kit_outbox (key, created_at, id) where status = 'pending';
`;

const INBOX = `
create table kit_inbox (
  source text not null,
  id text not null,
  received_at timestamptz not null default now(),
  primary key (source, id)
);
`;

// Retention deletes by age (see retention.ts): without these, each pruning batch scans the table.
const RETENTION_INDEXES = `
create index kit_outbox_delivered_idx on kit_outbox (delivered_at) where status = 'delivered';
create index kit_inbox_received_idx on kit_inbox (received_at);
`;

const script = (text: string): Migration => ({ up: (db) => runSqlScript(db, text) });

export const kitMigrations: MigrationProvider = {
  getMigrations: async () => ({
    "0001_kit_outbox": script(OUTBOX),
    "0002_kit_inbox": script(INBOX),
    "0003_kit_retention_indexes": script(RETENTION_INDEXES),
  }),
};
