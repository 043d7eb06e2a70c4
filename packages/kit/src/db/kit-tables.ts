import type { ColumnType, Generated } from "kysely";

export type OutboxStatus = "pending" | "delivered" | "dead";

export interface KitOutboxTable {
  id: string;
  topic: string;
  key: string;
  /** jsonb; written as JSON text (see enqueueOutbox), read back parsed. */
  payload: ColumnType<unknown, string, string>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

export interface KitInboxTable {
  source: string;
  id: string;
  received_at: Generated<Date>;
}

/** The kit's tables, for typing kit queries and for services that want to read them. */
export interface KitTables {
  kit_outbox: KitOutboxTable;
  kit_inbox: KitInboxTable;
}
