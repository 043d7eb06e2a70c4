import { type Kysely, type RawBuilder, sql } from "kysely";
import type { AnySchema } from "./any-schema.ts";

/** One table's retention: rows whose `column` (a timestamptz) is older than `retentionMs` go. */
export interface RetentionRule {
  /** The table, also the metric label. */
  table: string;
  /** A timestamptz column the age is read from. */
  column: string;
  retentionMs: number;
  /** Only rows that also match this, e.g. sql`status = 'delivered'`. */
  where?: RawBuilder<unknown>;
}

export interface PruneResult {
  table: string;
  deleted: number;
}

export interface PruneOptions {
  /** Rows per delete statement: each is its own short transaction. Default 1000. */
  batchSize?: number;
  /** Told after every batch (for the pruned-rows counter). */
  onBatch?: (table: string, deleted: number) => void;
  /** Checked between batches: stop early (a service shutting down). */
  shouldStop?: () => boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes every row past its rule's retention, `batchSize` rows per statement, until a batch comes
 * back short. Each statement locks only the rows it deletes and commits at once, so live traffic
 * on the table (inserts, the relay's leases) never waits behind a long delete; the event loop gets
 * a turn between batches (PGlite runs in-thread). Times come from the database clock.
 */
export async function pruneExpired(
  db: Kysely<AnySchema>,
  rules: readonly RetentionRule[],
  options: PruneOptions = {},
): Promise<PruneResult[]> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const results: PruneResult[] = [];
  for (const rule of rules) {
    if (!(rule.retentionMs > 0)) continue;
    let deleted = 0;
    for (;;) {
      if (options.shouldStop?.()) break;
      const batch = await pruneBatch(db, rule, batchSize);
      deleted += batch;
      if (batch > 0) options.onBatch?.(rule.table, batch);
      if (batch < batchSize) break;
      await yieldToEventLoop();
    }
    results.push({ table: rule.table, deleted });
  }
  return results;
}

async function pruneBatch(db: Kysely<AnySchema>, rule: RetentionRule, limit: number): Promise<number> {
  const table = sql.table(rule.table);
  const column = sql.ref(rule.column);
  const extra = rule.where ? sql`and (${rule.where})` : sql``;
  // ctid: the physical row id, so one statement serves any table, primary key or not.
  const result = await sql`
    delete from ${table} where ctid in (
      select ctid from ${table}
      where ${column} < now() - ${rule.retentionMs}::bigint * interval '1 millisecond' ${extra}
      limit ${limit}
    )
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export interface KitRetention {
  /** Delivered outbox messages; 0 keeps them. Dead ones are always kept (an operator's to look at). */
  outboxDeliveredMs: number;
  /** Inbox ids (deduplication of received events); 0 keeps them. */
  inboxMs: number;
}

/** The rules for the kit's own tables (kit_outbox, kit_inbox). */
export function kitRetentionRules(retention: KitRetention): RetentionRule[] {
  return [
    {
      table: "kit_outbox",
      column: "delivered_at",
      retentionMs: retention.outboxDeliveredMs,
      where: sql`status = 'delivered'`,
    },
    { table: "kit_inbox", column: "received_at", retentionMs: retention.inboxMs },
  ];
}
