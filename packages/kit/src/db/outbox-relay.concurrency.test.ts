import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import { recordingLogger } from "./db.test-support.ts";
import type { KitTables } from "./kit-tables.ts";
import { openDatabase } from "./open-database.ts";
import { enqueueOutbox } from "./outbox.ts";
import { OutboxRelay } from "./outbox-relay.ts";

// PGlite is one connection, so relays there take turns; contention is only real on PostgreSQL.
describe.runIf(testDatabaseKinds().includes("postgres"))(
  "outbox relays sharing postgres",
  { timeout: 60_000 },
  () => {
    it("when two relays drain the same outbox at once, then no message is delivered twice and each key stays in order", async () => {
      const testDb = await createTestDatabase("postgres", "outbox_two_relays");
      const database = await openDatabase<KitTables>({ url: testDb.url });
      try {
        await database.migrate();
        await database.transaction(async (trx) => {
          for (let n = 0; n < 10; n++) {
            for (let k = 0; k < 10; k++) {
              await enqueueOutbox(trx, { topic: "t", key: `key-${k}`, payload: { n } });
            }
          }
        });
        const deliveries: Array<{ relay: string; id: string; key: string; n: number }> = [];
        const relayNamed = (name: string) =>
          new OutboxRelay({
            database,
            log: recordingLogger(),
            batchSize: 5,
            deliver: async (m) => {
              // A delivery that takes a moment, as a real publish does, so the relays' batches overlap.
              await new Promise((resolve) => setTimeout(resolve, 5));
              deliveries.push({ relay: name, id: m.id, key: m.key, n: (m.payload as { n: number }).n });
            },
          });

        // Two connections open before the race, so neither relay's first claim waits for a connect
        // while the other drains the outbox alone.
        await Promise.all([0, 1].map(() => sql`select pg_sleep(0.05)`.execute(database.db)));
        await Promise.all([relayNamed("a").drainOnce(), relayNamed("b").drainOnce()]);

        expect(new Set(deliveries.map((d) => d.id)).size).toBe(100);
        expect(deliveries).toHaveLength(100);
        expect(new Set(deliveries.map((d) => d.relay))).toEqual(new Set(["a", "b"]));
        for (let k = 0; k < 10; k++) {
          const order = deliveries.filter((d) => d.key === `key-${k}`).map((d) => d.n);
          expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
      } finally {
        await database.close();
        await testDb.drop();
      }
    });
  },
);
