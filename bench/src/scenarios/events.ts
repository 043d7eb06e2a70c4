import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import { create } from "@bufbuild/protobuf";
import { OrderCancelledSchema } from "@orderly/contracts/order/events";
import { type Database, openDatabase, runSqlScript, uuidv7 } from "@orderly/kit/db";
import {
  buildEnvelope,
  connectEventBus,
  DEFAULT_STREAM_SETTINGS,
  type EventBus,
  encodeEnvelope,
  recordEvent,
} from "@orderly/kit/events";
import { createDatabases } from "../lib/databases.ts";
import { startNatsServer } from "../lib/nats-server.ts";
import { type ProcessUsage, round, sleep, watchProcesses } from "../lib/processes.ts";
import type { EventsLag, EventsPhase, EventsResult, EventsStage, RawPublishRate } from "../lib/result.ts";

export interface EventsPlan {
  warmupSeconds: number;
  seconds: number;
  /** Seconds of each raw JetStream publish loop. */
  rawSeconds: number;
  log: (line: string) => void;
}

/** Producer transactions in flight at once (a service's request concurrency, not the pool's limit). */
const WRITERS = 8;
/** Events recorded but not yet handled, at most, in the saturated phase: bounds the queue (and so the lag). */
const MAX_IN_FLIGHT = 500;
/** The paced phase runs at this share of the saturated rate: the lag of a pipeline that keeps up. */
const PACE_SHARE = 0.5;
/** The relay's batch size (kit default): how many publishes it has in flight at once. */
const RELAY_IN_FLIGHT = 50;

interface EffectTables {
  bench_effects: { event_id: string };
}

const quiet = {
  info() {},
  warn(obj: object, msg?: string) {
    process.stderr.write(`  warn: ${msg ?? ""} ${JSON.stringify(obj).slice(0, 300)}\n`);
  },
  error(obj: object, msg?: string) {
    process.stderr.write(`  error: ${msg ?? ""} ${JSON.stringify(obj).slice(0, 300)}\n`);
  },
};

/** One phase's bookkeeping: when each event was recorded, and the recorded -> handled lag of those handled in the window. */
class Tracker {
  readonly recordedAt = new Map<string, number>();
  histogram: RecordableHistogram = createHistogram();
  recorded = 0;
  handled = 0;
  duplicates = 0;
  windowStart = Number.POSITIVE_INFINITY;
  windowEnd = Number.POSITIVE_INFINITY;
  inWindow = 0;

  handle(eventId: string): void {
    const at = this.recordedAt.get(eventId);
    if (at === undefined) {
      this.duplicates++;
      return;
    }
    this.recordedAt.delete(eventId);
    this.handled++;
    const now = performance.now();
    if (now >= this.windowStart && now < this.windowEnd) {
      this.inWindow++;
      this.histogram.record(Math.max(1, Math.round((now - at) * 1000)));
    }
  }

  phase(seconds: number, extra: { targetPerSecond?: number; processes: ProcessUsage[] }): EventsPhase {
    const h = this.histogram;
    const ms = (us: number) => Math.round(us) / 1000;
    const lag: EventsLag =
      h.count === 0
        ? { p50: 0, p90: 0, p99: 0, max: 0 }
        : { p50: ms(h.percentile(50)), p90: ms(h.percentile(90)), p99: ms(h.percentile(99)), max: ms(h.max) };
    const bench = extra.processes[0];
    return {
      events: this.inWindow,
      seconds: round(seconds, 3),
      eventsPerSecond: round(this.inWindow / seconds, 1),
      cpuMsPerEvent: bench && this.inWindow > 0 ? round((bench.cpuSeconds * 1000) / this.inWindow, 2) : 0,
      lagMs: lag,
      ...(extra.targetPerSecond === undefined ? {} : { targetPerSecond: round(extra.targetPerSecond, 1) }),
      processes: extra.processes,
    };
  }
}

/**
 * Events through the whole path: a producer records OrderCancelled events with recordEvent (one
 * transaction each, as a use case does) in its database; the kit's relay publishes them to
 * JetStream; the kit's durable consumer applies each in its own database (inbox row + effect row,
 * one transaction). Lag = recorded (producer's transaction starts) -> handled (consumer's handler
 * runs). Phase 1 saturates the path (at most MAX_IN_FLIGHT events queued); phase 2 paces the
 * producer at half that rate. Then NATS's own rate: a raw JetStream publish loop of the same bytes
 * on the same server, one publish at a time and RELAY_IN_FLIGHT at a time.
 */
export async function eventsScenario(plan: EventsPlan): Promise<EventsResult> {
  const nats = await startNatsServer();
  const databases = await createDatabases(["events_producer", "events_consumer"]);
  let producer: Database<unknown> | undefined;
  let consumerDb: Database<EffectTables> | undefined;
  let bus: EventBus | undefined;
  const tasks: Array<{ stop(): Promise<void> }> = [];
  try {
    producer = await openDatabase<unknown>({ url: databases.urls.events_producer as string, log: quiet });
    await producer.migrate();
    consumerDb = await openDatabase<EffectTables>({
      url: databases.urls.events_consumer as string,
      log: quiet,
    });
    await consumerDb.migrate();
    await runSqlScript(consumerDb.db as never, "create table bench_effects (event_id text primary key)");
    bus = await connectEventBus({
      config: { servers: [nats.url], stream: DEFAULT_STREAM_SETTINGS },
      name: "bench-events",
      log: quiet,
    });
    let tracker = new Tracker();
    const connected = bus;
    const effects = consumerDb;
    const startRelay = () => {
      const relay = connected.relay({ database: db, source: "order", events: ["cancelled"] });
      relay.start();
      tasks.push(relay);
      return relay;
    };
    const startConsumer = () => {
      // The same durable consumer each time: a new one continues where the last stopped.
      const consumer = connected.consumer({
        database: effects,
        consumer: "bench",
        source: "order",
        events: ["cancelled"],
        handle: async (event, trx) => {
          await trx.insertInto("bench_effects").values({ event_id: event.id }).execute();
          tracker.handle(event.id);
        },
      });
      consumer.start();
      tasks.push(consumer);
      return consumer;
    };
    const db = producer;
    startRelay();
    startConsumer();
    const watched = [
      { name: "bench (producer, relay, consumer)", pid: process.pid },
      { name: "nats-server", pid: nats.pid },
    ];
    const recordOne = async (t: Tracker) => {
      const orderId = uuidv7();
      const eventId = uuidv7();
      t.recordedAt.set(eventId, performance.now());
      t.recorded++;
      await db.transaction((trx) =>
        recordEvent(trx, {
          source: "order",
          event: "cancelled",
          schema: OrderCancelledSchema,
          payload: create(OrderCancelledSchema, { orderId, customerId: "bench", reason: "BENCH" }),
          aggregateId: orderId,
          aggregateVersion: 1,
          eventId,
        }),
      );
    };

    // Phase 1: as fast as the path goes, the queue bounded.
    plan.log(
      `  saturated: ${plan.warmupSeconds} s warm-up + ${plan.seconds} s, ${WRITERS} writers, ≤ ${MAX_IN_FLIGHT} in flight`,
    );
    const saturated = tracker;
    const start = performance.now();
    saturated.windowStart = start + plan.warmupSeconds * 1000;
    saturated.windowEnd = saturated.windowStart + plan.seconds * 1000;
    let watch: ReturnType<typeof watchProcesses> | undefined;
    const watchTimer = setTimeout(() => {
      watch = watchProcesses(watched);
    }, plan.warmupSeconds * 1000);
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (performance.now() < saturated.windowEnd) {
          if (saturated.recorded - saturated.handled >= MAX_IN_FLIGHT) await sleep(1);
          else await recordOne(saturated);
        }
      }),
    );
    clearTimeout(watchTimer);
    const saturatedProcesses = watch?.stop() ?? [];
    await drain(saturated, 30_000);
    const phase1 = saturated.phase(plan.seconds, { processes: saturatedProcesses });
    plan.log(
      `  saturated: ${phase1.eventsPerSecond} events/s, lag p50 ${phase1.lagMs.p50} ms, p99 ${phase1.lagMs.p99} ms`,
    );

    // Phase 2: paced at half the rate, open loop (events are due on a clock, not on answers).
    const rate = Math.max(1, phase1.eventsPerSecond * PACE_SHARE);
    plan.log(`  paced: ${round(rate, 1)} events/s for ${plan.warmupSeconds} s warm-up + ${plan.seconds} s`);
    tracker = new Tracker();
    const paced = tracker;
    const pacedStart = performance.now();
    paced.windowStart = pacedStart + plan.warmupSeconds * 1000;
    paced.windowEnd = paced.windowStart + plan.seconds * 1000;
    const pacedWatch = setTimeout(() => {
      watch = watchProcesses(watched);
    }, plan.warmupSeconds * 1000);
    const inFlight = new Set<Promise<void>>();
    let issued = 0;
    while (performance.now() < paced.windowEnd) {
      const due = Math.floor(((performance.now() - pacedStart) / 1000) * rate);
      while (issued < due && inFlight.size < WRITERS * 4) {
        issued++;
        const p: Promise<void> = recordOne(paced).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await sleep(1);
    }
    await Promise.all(inFlight);
    clearTimeout(pacedWatch);
    const pacedProcesses = watch?.stop() ?? [];
    await drain(paced, 30_000);
    const phase2 = paced.phase(plan.seconds, { targetPerSecond: rate, processes: pacedProcesses });
    plan.log(
      `  paced: ${phase2.eventsPerSecond} events/s, lag p50 ${phase2.lagMs.p50} ms, p99 ${phase2.lagMs.p99} ms`,
    );

    for (const task of tasks.splice(0).reverse()) await task.stop();

    // Phase 3: each stage alone on a backlog, to show which one bounds the path.
    const backlog = Math.min(3_000, Math.max(500, phase1.events));
    plan.log(`  stages alone: ${backlog} events recorded first, then relayed, then consumed`);
    tracker = new Tracker();
    const alone = tracker;
    alone.windowStart = 0;
    let next = 0;
    const recordStarted = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < backlog) {
          next++;
          await recordOne(alone);
        }
      }),
    );
    const recordSeconds = (performance.now() - recordStarted) / 1000;
    const inStream = async () => (await connected.jsm.streams.info("ORDERLY_ORDER")).state.messages;
    const before = await inStream();
    const relayStarted = performance.now();
    const relayAlone = startRelay();
    while ((await inStream()) < before + backlog) await sleep(10);
    const relaySeconds = (performance.now() - relayStarted) / 1000;
    tasks.splice(tasks.indexOf(relayAlone), 1);
    await relayAlone.stop();
    const consumeStarted = performance.now();
    startConsumer();
    await drain(alone, 60_000);
    const consumeSeconds = (performance.now() - consumeStarted) / 1000;
    for (const task of tasks.splice(0).reverse()) await task.stop();
    const stages: EventsStage[] = [
      {
        stage: "record (producer transactions)",
        events: backlog,
        perSecond: round(backlog / recordSeconds, 1),
      },
      { stage: "relay (outbox -> JetStream)", events: backlog, perSecond: round(backlog / relaySeconds, 1) },
      {
        stage: "consume (inbox + effect, one at a time)",
        events: backlog,
        perSecond: round(backlog / consumeSeconds, 1),
      },
    ];
    plan.log(`  stages alone: ${stages.map((x) => `${x.stage} ${x.perSecond}/s`).join(", ")}`);

    const sample = encodeEnvelope(
      buildEnvelope({
        eventId: uuidv7(),
        source: "order",
        aggregateId: uuidv7(),
        aggregateVersion: 1n,
        occurredAt: new Date(),
        schema: OrderCancelledSchema,
        payload: create(OrderCancelledSchema, { orderId: uuidv7(), customerId: "bench", reason: "BENCH" }),
      }),
    );
    await bus.jsm.streams.add({
      name: "BENCH_RAW",
      subjects: ["bench.raw.>"],
      duplicate_window: 120_000_000_000,
    });
    const sequential = await rawPublish(bus, sample, 1, plan.rawSeconds);
    const pipelined = await rawPublish(bus, sample, RELAY_IN_FLIGHT, plan.rawSeconds);
    plan.log(
      `  raw JetStream publish: ${sequential.perSecond}/s one at a time, ${pipelined.perSecond}/s ${RELAY_IN_FLIGHT} in flight`,
    );
    return {
      database: databases.version,
      natsServer: nats.version,
      payloadBytes: sample.byteLength,
      writers: WRITERS,
      maxInFlight: MAX_IN_FLIGHT,
      saturated: phase1,
      paced: phase2,
      duplicates: saturated.duplicates + paced.duplicates,
      rawPublish: [sequential, pipelined],
      stages,
    };
  } finally {
    for (const task of tasks.reverse()) await task.stop().catch(() => undefined);
    await bus?.close().catch(() => undefined);
    await producer?.close().catch(() => undefined);
    await consumerDb?.close().catch(() => undefined);
    await databases.drop().catch(() => undefined);
    await nats.stop();
  }
}

/** Waits until every event recorded in the phase was handled (or `timeoutMs`, then the rest counts as not handled). */
async function drain(tracker: Tracker, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (tracker.recordedAt.size > 0 && performance.now() < deadline) await sleep(10);
  if (tracker.recordedAt.size > 0)
    throw new Error(`${tracker.recordedAt.size} events not handled within ${timeoutMs} ms`);
}

/** JetStream publishes of `bytes` with a fresh Nats-Msg-Id each, `inFlight` at a time, for `seconds`. */
async function rawPublish(
  bus: EventBus,
  bytes: Uint8Array,
  inFlight: number,
  seconds: number,
): Promise<RawPublishRate> {
  let published = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await bus.js.publish("bench.raw.cancelled", bytes, { msgID: uuidv7() });
        published++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    inFlight,
    messages: published,
    seconds: round(elapsed, 3),
    perSecond: round(published / elapsed, 1),
  };
}
