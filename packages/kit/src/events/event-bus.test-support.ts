import { create } from "@bufbuild/protobuf";
import { OrderConfirmedSchema } from "@orderly/contracts/order/events";
import { sql, type Transaction } from "kysely";
import {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseKind,
} from "../../../testkit/src/db/index.ts";
import type { Database } from "../db/database.types.ts";
import { migrationsFolder, recordingLogger } from "../db/db.test-support.ts";
import { openDatabase } from "../db/open-database.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { DEFAULT_STREAM_SETTINGS, type EventStreamSettings } from "./event-bus-config.ts";
import type { ReceivedEvent } from "./received-event.ts";
import { recordEvent } from "./record-event.ts";

/** What a consumer "did": one row per handled event, no uniqueness, so a second effect shows. */
export interface EffectTables {
  effects: { event_id: string; consumer: string; replica: string };
}

export const TEST_STREAM: EventStreamSettings = { ...DEFAULT_STREAM_SETTINGS, maxAgeMs: 3_600_000 };

export interface EventsTestDatabase {
  database: Database<EffectTables>;
  drop(): Promise<void>;
}

export async function openEventsTestDatabase(
  kind: TestDatabaseKind,
  label: string,
): Promise<EventsTestDatabase> {
  const testDb: TestDatabase = await createTestDatabase(kind, label);
  const folder = await migrationsFolder({
    "0001_effects.sql":
      "create table effects (event_id text not null, consumer text not null, replica text not null);",
  });
  const database = await openDatabase<EffectTables>({ url: testDb.url, migrationsFolder: folder.folder });
  await database.migrate();
  return {
    database,
    async drop() {
      await database.close();
      await testDb.drop();
      await folder.remove();
    },
  };
}

export const quietLog = () => recordingLogger();

/** Records `count` OrderConfirmed events (one transaction each) and returns their ids. */
export async function recordConfirmed(database: Database<EffectTables>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const orderId = uuidv7();
    ids.push(
      await database.transaction((trx) =>
        recordEvent(trx, {
          source: "order",
          event: "confirmed",
          schema: OrderConfirmedSchema,
          payload: create(OrderConfirmedSchema, { orderId, customerId: `customer-${i}` }),
          aggregateId: orderId,
          aggregateVersion: 3,
        }),
      ),
    );
  }
  return ids;
}

/** A handler that records its effect in the event's transaction. */
export function recordEffect(consumer: string, replica = "a") {
  return async (event: ReceivedEvent, trx: Transaction<EffectTables>) => {
    await trx.insertInto("effects").values({ event_id: event.id, consumer, replica }).execute();
  };
}

/** event id -> how many times its effect was applied, for one consumer. */
export async function effectCounts(
  database: Database<EffectTables>,
  consumer: string,
): Promise<Map<string, number>> {
  const rows = await database.db
    .selectFrom("effects")
    .select(["event_id"])
    .where("consumer", "=", consumer)
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.event_id, (counts.get(row.event_id) ?? 0) + 1);
  return counts;
}

export async function effectReplicas(
  database: Database<EffectTables>,
  consumer: string,
): Promise<Set<string>> {
  const rows = await database.db
    .selectFrom("effects")
    .select(["replica"])
    .where("consumer", "=", consumer)
    .execute();
  return new Set(rows.map((row) => row.replica));
}

export async function pendingOutbox(database: Database<EffectTables>): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`select count(*) as n from kit_outbox where status = 'pending'`.execute(database.db);
  return Number(rows[0]?.n ?? 0);
}

/** Each of `ids` applied exactly once, as the map effectCounts returns it. */
export const onceEach = (ids: readonly string[]) => new Map(ids.map((id) => [id, 1]));
