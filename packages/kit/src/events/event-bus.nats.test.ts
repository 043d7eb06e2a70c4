import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testDatabaseKinds } from "../../../testkit/src/db/index.ts";
import {
  eventually,
  natsServerAvailable,
  startNatsServer,
  type TestNatsServer,
} from "../../../testkit/src/nats/index.ts";
import { countdown } from "../db/db.test-support.ts";
import { OutboxRelay } from "../db/outbox-relay.ts";
import { listDeadLetters, replayDeadLetters } from "./dead-letters.ts";
import {
  type EffectTables,
  type EventsTestDatabase,
  effectCounts,
  effectReplicas,
  onceEach,
  openEventsTestDatabase,
  pendingOutbox,
  quietLog,
  recordConfirmed,
  recordEffect,
  TEST_STREAM,
} from "./event-bus.test-support.ts";
import { connectEventBus, type EventBus } from "./event-bus.ts";
import { EventConsumer, type EventConsumerOptions } from "./event-consumer.ts";
import { eventPublisher } from "./event-publisher.ts";
import { ensureStream, eventStream } from "./event-streams.ts";
import { streamName } from "./subjects.ts";

const SLOW = { timeout: 60_000 };
const FAST_RELAY = { pollIntervalMs: 50, backoff: { initialMs: 10, maxMs: 200 } };

describe.runIf(natsServerAvailable()).each(testDatabaseKinds())(
  "event bus on nats-server with %s",
  SLOW,
  (kind) => {
    let testDb: EventsTestDatabase;
    let nats: TestNatsServer;
    let bus: EventBus;
    const running: Array<{ stop(): Promise<void> }> = [];

    beforeAll(async () => {
      testDb = await openEventsTestDatabase(kind, "events");
    }, SLOW.timeout);
    afterAll(() => testDb?.drop(), SLOW.timeout);

    beforeEach(async () => {
      nats = await startNatsServer();
      bus = await connectEventBus({
        config: { servers: [nats.url], stream: TEST_STREAM },
        name: "events-test",
        log: quietLog(),
      });
    });

    afterEach(async () => {
      for (const task of running.splice(0).reverse()) await task.stop();
      await bus.close();
      await nats.stop();
      await testDb.database.db.deleteFrom("effects").execute();
    }, SLOW.timeout);

    function startConsumer(
      consumer: string,
      replica = "a",
      extra: Partial<EventConsumerOptions<EffectTables>> = {},
    ) {
      const task = bus.consumer({
        database: testDb.database,
        consumer,
        source: "order",
        handle: recordEffect(consumer, replica),
        retryBackoff: { initialMs: 10, maxMs: 50 },
        ...extra,
      });
      task.start();
      running.push(task);
      return task;
    }

    it("when the relay dies between publish and mark, then another relay publishes again after the lease and the consumer applies each event once", async () => {
      await ensureStream(bus.jsm, eventStream("order"), TEST_STREAM);
      const publish = eventPublisher({ js: bus.js });
      const subjects = ["orderly.order.confirmed"];
      const ids = await recordConfirmed(testDb.database, 3);
      // The first relay publishes, then never gets to mark the rows delivered (as if killed there).
      const published = countdown(3);
      let revive!: (err: Error) => void;
      const dead = new Promise<never>((_, reject) => {
        revive = reject;
      });
      const dying = new OutboxRelay({
        database: testDb.database,
        topics: subjects,
        log: quietLog(),
        leaseMs: 300,
        deliver: async (message) => {
          await publish(message);
          published.mark();
          await dead;
        },
      });
      const dyingBatch = dying.drainOnce();
      await published.done;

      const successor = new OutboxRelay({
        database: testDb.database,
        topics: subjects,
        log: quietLog(),
        deliver: publish,
      });
      const republished = await eventually(
        () => successor.drainOnce(),
        (n) => n > 0,
      );
      startConsumer("billing");
      const counts = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 3,
      );
      revive(new Error("the first relay's process is gone"));
      await dyingBatch;

      expect(republished).toBe(3);
      expect(await pendingOutbox(testDb.database)).toBe(0);
      // The broker dropped the second publish by Nats-Msg-Id: the stream holds each event once.
      expect((await bus.jsm.streams.info(streamName("order"))).state.messages).toBe(3);
      expect(counts).toEqual(onceEach(ids));
    });

    it("when an event reaches the consumer twice (a replay after the broker's dedupe window), then its effect happens once", async () => {
      startConsumer("billing");
      const relay = bus.relay({
        database: testDb.database,
        source: "order",
        events: ["confirmed"],
        relay: FAST_RELAY,
      });
      relay.start();
      running.push(relay);
      const [id] = await recordConfirmed(testDb.database, 1);
      await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 1,
      );

      const stored = await bus.jsm.streams.getMessage(streamName("order"), { seq: 1 });
      if (stored === null) throw new Error("the event is not in the stream");
      // Tracing is off in this test process: the event still carries a (fresh, unsampled) traceparent.
      expect(stored.header.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      expect(stored.header.get("Nats-Msg-Id")).toBe(id);
      await bus.js.publish(stored.subject, stored.data, { msgID: "a-later-replay", headers: stored.header });
      const info = await eventually(
        () => bus.jsm.consumers.info(streamName("order"), "billing"),
        (i) => i.num_pending === 0 && i.num_ack_pending === 0 && i.delivered.stream_seq === 2,
      );

      expect(info.delivered.stream_seq).toBe(2);
      expect(await effectCounts(testDb.database, "billing")).toEqual(onceEach([id as string]));
    });

    it("when the broker is killed and restarted mid-stream, then every event recorded before, during and after is applied once", async () => {
      const relay = bus.relay({
        database: testDb.database,
        source: "order",
        events: ["confirmed"],
        relay: FAST_RELAY,
      });
      relay.start();
      running.push(relay);
      startConsumer("billing");
      const before = await recordConfirmed(testDb.database, 5);
      await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size >= 2,
      );

      await nats.kill();
      const during = await recordConfirmed(testDb.database, 5);
      await nats.restart();
      const after = await recordConfirmed(testDb.database, 5);

      const counts = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 15,
        40_000,
      );
      expect(counts).toEqual(onceEach([...before, ...during, ...after]));
      expect(await pendingOutbox(testDb.database)).toBe(0);
    });

    it("when one event always fails, then it is dead-lettered after maxAttempts with its error while the rest flow, and replaying it applies it", async () => {
      const registry = new Registry();
      const ids = await recordConfirmed(testDb.database, 5);
      const poisoned = ids[2] as string;
      let fixed = false;
      const attemptsOfPoisoned: number[] = [];
      const handle = recordEffect("billing");
      const consumer = new EventConsumer({
        js: bus.js,
        jsm: bus.jsm,
        database: testDb.database,
        consumer: "billing",
        source: "order",
        stream: TEST_STREAM,
        log: quietLog(),
        registry,
        maxAttempts: 3,
        retryBackoff: { initialMs: 10, maxMs: 50 },
        handle: async (event, trx) => {
          if (event.id === poisoned && !fixed) {
            attemptsOfPoisoned.push(event.attempt);
            throw new Error("tax rule missing for customer-2");
          }
          await handle(event, trx);
        },
      });
      consumer.start();
      running.push(consumer);
      const relay = bus.relay({
        database: testDb.database,
        source: "order",
        events: ["confirmed"],
        relay: FAST_RELAY,
      });
      relay.start();
      running.push(relay);

      const letters = await eventually(
        () => listDeadLetters(bus.jsm, "billing"),
        (l) => l.length === 1,
      );
      const healthy = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 4,
      );

      expect(healthy).toEqual(onceEach(ids.filter((id) => id !== poisoned)));
      expect(attemptsOfPoisoned).toEqual([1, 2, 3]);
      expect(letters).toEqual([
        expect.objectContaining({
          eventId: poisoned,
          eventType: "orderly.order.v1.OrderConfirmed",
          consumer: "billing",
          originalSubject: "orderly.order.confirmed",
          attempts: 3,
          error: "Error: tax rule missing for customer-2",
        }),
      ]);
      const metrics = await registry.metrics();
      expect(metrics).toContain(
        'orderly_events_dead_lettered_total{consumer="billing",subject="orderly.order.confirmed"} 1',
      );
      expect(metrics).toContain(
        'orderly_events_redelivered_total{consumer="billing",subject="orderly.order.confirmed"} 2',
      );
      expect(metrics).toContain(
        'orderly_events_consumed_total{consumer="billing",subject="orderly.order.confirmed"} 4',
      );

      fixed = true;
      const { replayed } = await replayDeadLetters(bus.js, bus.jsm, "billing", { eventId: poisoned });
      const all = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 5,
      );

      expect(replayed.map((entry) => entry.eventId)).toEqual([poisoned]);
      expect(all).toEqual(onceEach(ids));
      expect(await listDeadLetters(bus.jsm, "billing")).toEqual([]);
    });

    it("when a message on an event subject is not an envelope, then it is dead-lettered at once and the events after it are applied", async () => {
      startConsumer("billing");
      await ensureStream(bus.jsm, eventStream("order"), TEST_STREAM);
      await bus.js.publish("orderly.order.confirmed", new TextEncoder().encode("not protobuf"), {
        msgID: "garbage-1",
      });
      const ids = await recordConfirmed(testDb.database, 2);
      const relay = bus.relay({
        database: testDb.database,
        source: "order",
        events: ["confirmed"],
        relay: FAST_RELAY,
      });
      relay.start();
      running.push(relay);

      const counts = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 2,
      );
      const letters = await eventually(
        () => listDeadLetters(bus.jsm, "billing"),
        (l) => l.length === 1,
      );

      expect(counts).toEqual(onceEach(ids));
      expect(letters).toEqual([
        expect.objectContaining({
          eventId: undefined,
          attempts: 1,
          originalSubject: "orderly.order.confirmed",
        }),
      ]);
    });

    it("when two replicas of one consumer run, then each event is applied exactly once", async () => {
      startConsumer("billing", "a", { batchSize: 1 });
      startConsumer("billing", "b", { batchSize: 1 });
      const ids = await recordConfirmed(testDb.database, 20);
      const relay = bus.relay({
        database: testDb.database,
        source: "order",
        events: ["confirmed"],
        relay: FAST_RELAY,
      });
      relay.start();
      running.push(relay);

      const counts = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 20,
      );

      expect(counts).toEqual(onceEach(ids));
    });

    it.runIf(kind === "postgres")(
      "when one replica is busy with an event, then the other replica takes the next ones (they share the work)",
      async () => {
        let releaseA!: () => void;
        const aBusy = new Promise<void>((resolve) => {
          releaseA = resolve;
        });
        const handleA = recordEffect("billing", "a");
        const handleB = recordEffect("billing", "b");
        startConsumer("billing", "a", {
          batchSize: 1,
          handle: async (event, trx) => {
            await aBusy;
            await handleA(event, trx);
          },
        });
        startConsumer("billing", "b", {
          batchSize: 1,
          handle: async (event, trx) => {
            await handleB(event, trx);
            releaseA();
          },
        });
        const ids = await recordConfirmed(testDb.database, 10);
        const relay = bus.relay({
          database: testDb.database,
          source: "order",
          events: ["confirmed"],
          relay: FAST_RELAY,
        });
        relay.start();
        running.push(relay);

        const counts = await eventually(
          () => effectCounts(testDb.database, "billing"),
          (c) => c.size === 10,
        );

        expect(counts).toEqual(onceEach(ids));
        expect(await effectReplicas(testDb.database, "billing")).toEqual(new Set(["a", "b"]));
      },
    );
  },
);
