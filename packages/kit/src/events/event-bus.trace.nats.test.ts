import { SpanKind, trace } from "@opentelemetry/api";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  natsServerAvailable,
  startNatsServer,
  type TestNatsServer,
} from "../../../testkit/src/nats/index.ts";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  startTracing,
  type Tracing,
  withSpan,
} from "../tracing/index.ts";
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
import { streamName } from "./subjects.ts";

const SLOW = { timeout: 60_000 };

describe.runIf(natsServerAvailable())("event bus tracing, headers and metrics on nats-server", SLOW, () => {
  let testDb: EventsTestDatabase;
  let nats: TestNatsServer;
  let bus: EventBus;
  let tracing: Tracing;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    tracing = await startTracing({
      serviceName: "events-test",
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    testDb = await openEventsTestDatabase("pglite", "events-trace");
    nats = await startNatsServer();
    bus = await connectEventBus({
      config: { servers: [nats.url], stream: TEST_STREAM },
      name: "events-test",
      log: quietLog(),
    });
  }, SLOW.timeout);

  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
    await testDb?.drop();
    await tracing?.shutdown();
  }, SLOW.timeout);

  it("when a use case records an event inside a span, then the consumer's span is in the producer's trace, child of the publish span", async () => {
    let producerTraceId: string | undefined;
    let useCaseSpanId: string | undefined;
    const [eventId] = await withSpan("confirm order", {}, async (span) => {
      producerTraceId = span.spanContext().traceId;
      useCaseSpanId = span.spanContext().spanId;
      return recordConfirmed(testDb.database, 1);
    });
    const handlerTraceIds: string[] = [];
    const record = recordEffect("shipping");
    const consumer = bus.consumer({
      database: testDb.database,
      consumer: "shipping",
      source: "order",
      handle: async (event, trx) => {
        handlerTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? "none");
        await record(event, trx);
      },
    });
    consumer.start();
    const relay = bus.relay({ database: testDb.database, source: "order", events: ["confirmed"] });
    try {
      relay.start();
      await eventually(
        () => effectCounts(testDb.database, "shipping"),
        (c) => c.size === 1,
      );
    } finally {
      await relay.stop();
      await consumer.stop();
    }

    const spans = exporter.getFinishedSpans();
    const send = spans.find((s) => s.name === "send orderly.order.confirmed");
    const process = spans.find((s) => s.name === "process orderly.order.confirmed");
    expect(handlerTraceIds).toEqual([producerTraceId]);
    expect(send?.kind).toBe(SpanKind.PRODUCER);
    expect(send?.spanContext().traceId).toBe(producerTraceId);
    expect(send?.parentSpanContext?.spanId).toBe(useCaseSpanId);
    expect(process?.kind).toBe(SpanKind.CONSUMER);
    expect(process?.spanContext().traceId).toBe(producerTraceId);
    expect(process?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    expect(process?.attributes["messaging.message.id"]).toBe(eventId);
  });

  it("when an event is published, then its message carries Nats-Msg-Id, traceparent, content type and event type", async () => {
    const [eventId] = await withSpan("cancel order", {}, () => recordConfirmed(testDb.database, 1));
    const relay = bus.relay({ database: testDb.database, source: "order", events: ["confirmed"] });
    await relay.drainOnce();

    const info = await bus.jsm.streams.info(streamName("order"));
    const stored = await bus.jsm.streams.getMessage(streamName("order"), { seq: info.state.last_seq });

    expect(stored?.subject).toBe("orderly.order.confirmed");
    expect({
      msgId: stored?.header.get("Nats-Msg-Id"),
      traceparent: /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(stored?.header.get("traceparent") ?? ""),
      contentType: stored?.header.get("content-type"),
      eventType: stored?.header.get("orderly-event-type"),
    }).toEqual({
      msgId: eventId,
      traceparent: true,
      contentType: "application/x-protobuf",
      eventType: "orderly.order.v1.OrderConfirmed",
    });
  });

  it("when events are published and consumed, then the published, consumed and pending metrics say so and the backlog age is exported", async () => {
    const registry = new Registry();
    const metricsBus = await connectEventBus({
      config: { servers: [nats.url], stream: TEST_STREAM },
      name: "events-metrics-test",
      log: quietLog(),
      registry,
    });
    const ids = await recordConfirmed(testDb.database, 2);
    const relay = metricsBus.relay({ database: testDb.database, source: "order", events: ["confirmed"] });
    const consumer = metricsBus.consumer({
      database: testDb.database,
      consumer: "audit",
      source: "order",
      handle: recordEffect("audit"),
    });
    try {
      relay.start();
      consumer.start();
      // The stream already held this file's earlier events: audit, a new consumer, reads them all.
      await eventually(
        () => effectCounts(testDb.database, "audit"),
        (c) => ids.every((id) => c.has(id)),
      );
      const text = await eventually(
        () => registry.metrics(),
        (t) => t.includes('orderly_events_consumer_pending{consumer="audit",stream="ORDERLY_ORDER"} 0'),
      );
      const counts = await effectCounts(testDb.database, "audit");

      expect(text).toContain('orderly_events_published_total{subject="orderly.order.confirmed"} 2');
      expect(text).toContain(
        `orderly_events_consumed_total{consumer="audit",subject="orderly.order.confirmed"} ${counts.size}`,
      );
      expect(text).toContain('orderly_events_consumer_pending{consumer="audit",stream="ORDERLY_ORDER"} 0');
      expect(text).toContain('orderly_events_relay_backlog_age_seconds{source="order"} 0');
      expect(counts).toEqual(onceEach([...counts.keys()]));
    } finally {
      await relay.stop();
      await consumer.stop();
      await metricsBus.close();
    }
  });
});
