import { nanos } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  natsServerAvailable,
  startNatsServer,
  type TestNatsServer,
} from "../../../testkit/src/nats/index.ts";
import { quietLog, TEST_STREAM } from "./event-bus.test-support.ts";
import { connectEventBus, type EventBus } from "./event-bus.ts";
import { dlqStream, ensureStream, eventStream } from "./event-streams.ts";

const SLOW = { timeout: 60_000 };

describe.runIf(natsServerAvailable())("event streams on nats-server", SLOW, () => {
  let nats: TestNatsServer;
  let bus: EventBus;

  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectEventBus({
      config: { servers: [nats.url], stream: TEST_STREAM },
      name: "streams-test",
      log: quietLog(),
    });
  }, SLOW.timeout);

  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
  }, SLOW.timeout);

  it("when the stream exists with other settings, then starting updates its max age and dedupe window", async () => {
    await ensureStream(bus.jsm, eventStream("inventory"), { ...TEST_STREAM, maxAgeMs: 3_600_000 });
    await ensureStream(bus.jsm, eventStream("inventory"), {
      ...TEST_STREAM,
      maxAgeMs: 7_200_000,
      duplicateWindowMs: 60_000,
    });

    const { config } = await bus.jsm.streams.info("ORDERLY_INVENTORY");
    expect({ subjects: config.subjects, maxAge: config.max_age, window: config.duplicate_window }).toEqual({
      subjects: ["orderly.inventory.>"],
      maxAge: nanos(7_200_000),
      window: nanos(60_000),
    });
  });

  it("when streams are configured for interest retention, then the producer's stream uses it and the DLQ still keeps its letters", async () => {
    const interest = { ...TEST_STREAM, retention: "interest" as const };
    await ensureStream(bus.jsm, eventStream("invoice"), interest);
    await ensureStream(bus.jsm, dlqStream, interest);

    const producer = await bus.jsm.streams.info("ORDERLY_INVOICE");
    const dlq = await bus.jsm.streams.info("ORDERLY_DLQ");
    expect([producer.config.retention, dlq.config.retention]).toEqual(["interest", "limits"]);
  });
});
