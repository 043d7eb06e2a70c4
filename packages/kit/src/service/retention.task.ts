import type { Kysely } from "kysely";
import type { ServiceConfig } from "../config/index.ts";
import { kitRetentionRules, pruneExpired, type RetentionRule } from "../db/index.ts";
import type { Logger } from "../log/index.ts";
import type { Metrics } from "../metrics/index.ts";
import { type BackgroundTask, intervalTask } from "./background-task.ts";

/**
 * Every `RETENTION_INTERVAL_SECONDS`, deletes the kit tables' expired rows (delivered outbox
 * messages, inbox ids) plus any rules the service adds, in batches (see pruneExpired). Counts what
 * it deleted in `orderly_retention_pruned_rows_total{table}`.
 */
export function retentionTask(options: {
  // biome-ignore lint/suspicious/noExplicitAny: any service schema; the rules name their own tables.
  db: Kysely<any>;
  retention: ServiceConfig["retention"];
  extraRules?: readonly RetentionRule[];
  log: Logger;
  metrics: Metrics;
}): BackgroundTask {
  const { retention, log } = options;
  const rules = [
    ...kitRetentionRules({ outboxDeliveredMs: retention.outboxDeliveredMs, inboxMs: retention.inboxMs }),
    ...(options.extraRules ?? []),
  ];
  const pruned = options.metrics.counter(
    "retention_pruned_rows_total",
    "Rows deleted by retention (expired outbox messages, inbox ids…).",
    ["table"],
  );
  let stopping = false;
  const task = intervalTask({
    name: "retention",
    intervalMs: retention.intervalMs,
    tick: async () => {
      const results = await pruneExpired(options.db, rules, {
        batchSize: retention.batchSize,
        onBatch: (table, deleted) => pruned.labels(table).inc(deleted),
        shouldStop: () => stopping,
      });
      const deleted = results.filter((r) => r.deleted > 0);
      if (deleted.length > 0) log.info({ pruned: deleted }, "retention pruned expired rows");
    },
    onError: (error) => log.warn({ err: error }, "retention run failed; trying again next interval"),
  });
  return {
    name: task.name,
    start() {
      stopping = false;
      return task.start();
    },
    async stop() {
      stopping = true;
      await task.stop();
    },
  };
}
