import { create } from "@bufbuild/protobuf";
import { OrderCancelledSchema, OrderFailedSchema } from "@orderly/contracts/order/events";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  natsServerAvailable,
  startNatsServer,
  type TestNatsServer,
} from "../../../testkit/src/nats/index.ts";
import type { KitTables } from "../db/kit-tables.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import {
  type EventsTestDatabase,
  effectCounts,
  onceEach,
  openEventsTestDatabase,
  quietLog,
  recordConfirmed,
  recordEffect,
  TEST_STREAM,
} from "./event-bus.test-support.ts";
import { connectEventBus, type EventBus } from "./event-bus.ts";
import { recordEvent } from "./record-event.ts";
import { streamName } from "./subjects.ts";

const SLOW = { timeout: 60_000 };

// nats-server 2.9 (installed here) has no consumer `filter_subjects`: a consumer of several event
// types must filter on the source's wildcard and skip the rest itself.
describe.runIf(natsServerAvailable())("event consumer of several event types on nats-server", SLOW, () => {
  let testDb: EventsTestDatabase;
  let nats: TestNatsServer;
  let bus: EventBus;

  beforeAll(async () => {
    testDb = await openEventsTestDatabase("pglite", "events_filter");
    nats = await startNatsServer();
    bus = await connectEventBus({
      config: { servers: [nats.url], stream: TEST_STREAM },
      name: "events-filter-test",
      log: quietLog(),
    });
  }, SLOW.timeout);
  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
    await testDb?.drop();
  }, SLOW.timeout);

  it("when a consumer lists cancelled and failed, then it handles exactly those and acks the other events unhandled", async () => {
    const consumer = bus.consumer({
      database: testDb.database,
      consumer: "invoice",
      source: "order",
      events: ["cancelled", "failed"],
      handle: recordEffect("invoice"),
    });
    const relay = bus.relay({
      database: testDb.database,
      source: "order",
      events: ["confirmed", "cancelled", "failed"],
      relay: { pollIntervalMs: 50, backoff: { initialMs: 10, maxMs: 200 } },
    });
    await recordConfirmed(testDb.database, 2);
    const wanted = await testDb.database.transaction(async (trx) => {
      const orderId = uuidv7();
      const base = { source: "order", aggregateId: orderId, aggregateVersion: 4 };
      return [
        await recordEvent(trx, {
          ...base,
          event: "cancelled",
          schema: OrderCancelledSchema,
          payload: create(OrderCancelledSchema, { orderId, reason: "CANCELLED_BY_CUSTOMER" }),
        }),
        await recordEvent(trx, {
          ...base,
          event: "failed",
          schema: OrderFailedSchema,
          payload: create(OrderFailedSchema, { orderId, reason: "PAYMENT_DECLINED" }),
        }),
      ];
    });
    relay.start();
    consumer.start();
    try {
      const info = await eventually(
        () => bus.jsm.consumers.info(streamName("order"), "invoice").catch(() => undefined),
        (i) => i?.delivered.stream_seq === 4 && i.num_pending === 0 && i.num_ack_pending === 0,
      );
      if (info === undefined) throw new Error("the durable consumer was never created");

      expect(info.config.filter_subject).toBe("orderly.order.>");
      expect(info.num_ack_pending).toBe(0);
      expect(await effectCounts(testDb.database, "invoice")).toEqual(onceEach(wanted));
      const inbox = await (testDb.database.db as unknown as Kysely<KitTables>)
        .selectFrom("kit_inbox")
        .select("id")
        .execute();
      // The skipped confirmed events left no inbox row either.
      expect(inbox.map((row) => row.id).sort()).toEqual([...wanted].sort());
    } finally {
      await consumer.stop();
      await relay.stop();
    }
  });
});
