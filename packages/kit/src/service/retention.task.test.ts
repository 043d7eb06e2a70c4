import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../db/database.types.ts";
import { recordInboxOnce } from "../db/inbox.ts";
import type { KitTables } from "../db/kit-tables.ts";
import { openDatabase } from "../db/open-database.ts";
import { createLogger } from "../log/index.ts";
import { createMetrics, metricName } from "../metrics/index.ts";
import { retentionTask } from "./retention.task.ts";

let database: Database<KitTables> | undefined;

afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function prunedRows(metrics: ReturnType<typeof createMetrics>, table: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric(metricName("retention_pruned_rows_total"));
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.table === table)?.value ?? 0;
}

describe("the retention background task", () => {
  it("when inbox ids have expired, then a run deletes them and counts them per table", async () => {
    database = await openDatabase<KitTables>({ url: "pglite:memory" });
    await database.migrate();
    await database.transaction(async (trx) => {
      for (const id of ["a", "b", "c"]) await recordInboxOnce(trx, { source: "s", id });
    });
    await sql`update kit_inbox set received_at = now() - interval '10 days' where id <> 'c'`.execute(
      database.db,
    );
    const metrics = createMetrics({ service: "test", version: "0", collectDefault: false });
    const task = retentionTask({
      db: database.db,
      retention: { outboxDeliveredMs: 3_600_000, inboxMs: 86_400_000, intervalMs: 5, batchSize: 1 },
      log: createLogger({ service: "test", version: "0", instance: "t", level: "silent" }),
      metrics,
    });

    await task.start();
    // The first run comes one interval after start; poll (bounded) for its effect, then stop.
    for (let i = 0; i < 500 && (await prunedRows(metrics, "kit_inbox")) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await task.stop();

    expect(await prunedRows(metrics, "kit_inbox")).toBe(2);
    const left = await database.db.selectFrom("kit_inbox").select("id").execute();
    expect(left.map((r) => r.id)).toEqual(["c"]);
  });
});
