import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { context, type Span, trace } from "@opentelemetry/api";
import type { Transaction } from "kysely";
import type { Registry } from "prom-client";
import type { AnySchema } from "../db/any-schema.ts";
import { type BackoffOptions, backoffDelayMs } from "../db/backoff.ts";
import type { Database, DbLogger } from "../db/database.types.ts";
import { recordInboxOnce } from "../db/inbox.ts";
import { positiveOption } from "../db/positive-option.ts";
import { WakeableSleep } from "../db/wakeable-sleep.ts";
import { failSpan } from "../tracing/with-span.ts";
import { deadLetter } from "./dead-letter.ts";
import { type DurableConsumerSpec, ensureDurableConsumer } from "./durable-consumer.ts";
import type { EventStreamSettings } from "./event-bus-config.ts";
import { decodeEnvelope, envelopeOccurredAt } from "./event-envelope.ts";
import { EventHeaders } from "./event-headers.ts";
import { dlqStream, ensureStream, eventStream } from "./event-streams.ts";
import {
  type ConsumerMetrics,
  noConsumerMetrics,
  registerConsumerMetrics,
  registerScrapedGauge,
} from "./events.metrics.ts";
import { startMessagingSpan } from "./messaging-span.ts";
import type { ReceivedEvent } from "./received-event.ts";
import { consumerName, eventSubject, streamName, streamSubjects } from "./subjects.ts";
import { contextFromTrace } from "./trace-context.ts";

// biome-ignore lint/suspicious/noExplicitAny: matches Database<DB> for any service schema.
export interface EventConsumerOptions<DB = any> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  database: Database<DB>;
  /** The consuming service: the durable consumer's name (its replicas share the work) and its DLQ `orderly.dlq.<consumer>`. */
  consumer: string;
  /** The producing service whose stream is read. */
  source: string;
  /**
   * Event tokens to handle (`cancelled`, `failed`); default every event of the source. With more
   * than one, the server-side filter is the source's wildcard (nats-server 2.9 has no
   * `filter_subjects`) and events of other tokens are acked without reaching the handler or the inbox.
   */
  events?: readonly string[];
  /**
   * Applies one event in the transaction that also records it in the inbox; the message is acked
   * only after that transaction commits. Throw to have it redelivered (with backoff) until
   * maxAttempts, then dead-lettered. A duplicate (same event id) never reaches the handler.
   */
  handle(event: ReceivedEvent, trx: Transaction<DB>): Promise<void>;
  /** Settings for the producer's stream (created if missing, never changed here) and the DLQ stream. */
  stream: EventStreamSettings;
  log: DbLogger;
  registry?: Registry;
  /** Handler attempts before the event is dead-lettered, default 5. */
  maxAttempts?: number;
  /** Delay before redelivering a failed event: exponential with full jitter, default 1 s .. 60 s. */
  retryBackoff?: BackoffOptions;
  /** How long a delivered, unacknowledged event is reserved for this replica, default 30 s. */
  ackWaitMs?: number;
  /** Messages pulled at a time, default 10. */
  batchSize?: number;
  /**
   * The inbox's source for deduplication, default `<consumer>:<producer>`, so two consumers sharing a
   * database each apply an event. A service moving from another delivery path (fulfillment's gRPC
   * push) passes that path's source (`() => "fulfillment"`) so an event delivered by both applies once.
   */
  inboxSource?: (event: ReceivedEvent) => string;
}

interface Settings {
  maxAttempts: number;
  retryBackoff: BackoffOptions;
  ackWaitMs: number;
  batchSize: number;
}

/**
 * A durable pull consumer on a producer's stream: handles each event in a database transaction with
 * inbox dedupe, acks after commit, naks failures with backoff, and after maxAttempts publishes the
 * message to `orderly.dlq.<consumer>` (error and attempt count in headers) and terminates it.
 */
export class EventConsumer<DB = AnySchema> {
  readonly name: string;
  readonly #options: EventConsumerOptions<DB>;
  readonly #settings: Settings;
  readonly #stream: string;
  readonly #durable: string;
  readonly #metrics: ConsumerMetrics;
  #messages: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;
  #running = false;
  #unregister: (() => void) | undefined;
  readonly #pause = new WakeableSleep();
  /** Subjects the handler wants, when the server filter lets more through; undefined: all. */
  readonly #wanted: ReadonlySet<string> | undefined;

  constructor(options: EventConsumerOptions<DB>) {
    this.#options = options;
    this.#durable = consumerName(options.consumer);
    this.#stream = streamName(options.source);
    this.name = `event-consumer:${this.#durable}<-${options.source}`;
    this.#settings = {
      maxAttempts: positiveOption("EventConsumer", "maxAttempts", options.maxAttempts ?? 5),
      retryBackoff: options.retryBackoff ?? { initialMs: 1_000, maxMs: 60_000 },
      ackWaitMs: positiveOption("EventConsumer", "ackWaitMs", options.ackWaitMs ?? 30_000),
      batchSize: positiveOption("EventConsumer", "batchSize", options.batchSize ?? 10),
    };
    this.#wanted =
      options.events && options.events.length > 1
        ? new Set(options.events.map((e) => eventSubject(options.source, e)))
        : undefined;
    this.#metrics = options.registry
      ? registerConsumerMetrics(options.registry, this.#durable)
      : noConsumerMetrics;
  }

  /** The durable consumer as the server holds it. */
  consumerSpec(): DurableConsumerSpec {
    const { source, events } = this.#options;
    return {
      stream: this.#stream,
      durable: this.#durable,
      source,
      // One subject, always: a server before 2.10 refuses `filter_subjects`; #wanted narrows it further.
      filter: events?.length === 1 ? eventSubject(source, events[0] as string) : streamSubjects(source),
      maxAttempts: this.#settings.maxAttempts,
      ackWaitMs: this.#settings.ackWaitMs,
      maxAckPending: Math.max(1_000, this.#settings.batchSize * 10),
    };
  }

  /** Starts consuming in the background (streams and the durable consumer are created first, retried while the broker is down). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    if (this.#options.registry && this.#unregister === undefined) {
      this.#unregister = registerScrapedGauge(
        this.#options.registry,
        {
          name: "orderly_events_consumer_pending",
          help: "Events in the stream not yet delivered to this durable consumer (its lag), read when scraped.",
          labelNames: ["consumer", "stream"],
        },
        { consumer: this.#durable, stream: this.#stream },
        async () => (await this.#options.jsm.consumers.info(this.#stream, this.#durable)).num_pending,
        (err) => this.#options.log.warn({ err }, "event consumer pending not collected"),
      );
    }
  }

  /** Stops pulling; the event being handled finishes (and is acked) first. Unacked buffered ones are redelivered. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unregister?.();
    this.#unregister = undefined;
    this.#pause.wake();
    await this.#messages?.close().catch(() => {});
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (this.#running) {
      try {
        await this.#ensure();
        const consumer = await this.#options.js.consumers.get(this.#stream, this.#durable);
        if (!this.#running) return;
        const messages = await consumer.consume({ max_messages: this.#settings.batchSize });
        this.#messages = messages;
        attempt = 0;
        for await (const message of messages) {
          await this.#process(message);
          if (!this.#running) break;
        }
        // The iterator also ends when the consumer was deleted under it: set it up again, after a pause.
        if (this.#running) throw new Error("the pull subscription ended");
      } catch (err) {
        if (!this.#running) return;
        attempt++;
        const retryInMs = backoffDelayMs(attempt, { initialMs: 500, maxMs: 30_000 }) + 100;
        this.#options.log.warn(
          { err, retryInMs, consumer: this.#durable },
          "event consumer stopped pulling; retrying",
        );
        await this.#pause.sleep(retryInMs);
      } finally {
        await this.#messages?.close().catch(() => {});
        this.#messages = undefined;
      }
    }
  }

  async #ensure(): Promise<void> {
    const { jsm, stream, source, log } = this.#options;
    await ensureStream(jsm, eventStream(source), stream, "create-only");
    await ensureStream(jsm, dlqStream, stream, "create-only");
    await ensureDurableConsumer(jsm, this.consumerSpec(), log);
  }

  async #process(message: JsMsg): Promise<void> {
    const attempt = message.info.deliveryCount;
    const subject = message.subject;
    if (this.#wanted && !this.#wanted.has(subject)) {
      // An event this consumer does not react to (the wildcard filter let it through): done with it.
      message.ack();
      return;
    }
    if (attempt > 1) this.#metrics.redelivered(subject);
    const traceparent = message.headers?.get(EventHeaders.traceparent);
    const tracestate = message.headers?.get(EventHeaders.tracestate);
    // The producer's publish span is the parent: one trace from the use case to every consumer.
    const parent = contextFromTrace({
      ...(traceparent ? { traceparent } : {}),
      ...(tracestate ? { tracestate } : {}),
    });
    const span = startMessagingSpan(
      "process",
      subject,
      { "messaging.consumer.group.name": this.#durable, "messaging.message.delivery_count": attempt },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () => this.#handle(message, attempt, subject, span));
    } finally {
      span.end();
    }
  }

  async #handle(message: JsMsg, attempt: number, subject: string, span: Span): Promise<void> {
    const { maxAttempts } = this.#settings;
    if (attempt > maxAttempts) {
      // The last attempt did not finish (a crash, an ack timeout, a failed DLQ publish).
      await this.#giveUp(message, attempt - 1, "not acknowledged within ack_wait after the last attempt");
      return;
    }
    let event: ReceivedEvent;
    try {
      event = this.#decode(message, attempt, subject);
    } catch (err) {
      // Undecodable bytes never get better: dead-letter at once.
      failSpan(span, err, describe(err));
      await this.#giveUp(message, attempt, describe(err));
      return;
    }
    span.setAttribute("messaging.message.id", event.id);
    try {
      await this.#options.database.transaction(async (trx) => {
        const source = this.#options.inboxSource?.(event) ?? `${this.#durable}:${event.source}`;
        if (!(await recordInboxOnce(trx as Transaction<AnySchema>, { id: event.id, source }))) return;
        await this.#options.handle(event, trx);
      });
    } catch (err) {
      failSpan(span, err, describe(err));
      if (attempt >= maxAttempts) {
        await this.#giveUp(message, attempt, describe(err));
        return;
      }
      const retryInMs = this.#retryDelay(attempt);
      this.#options.log.warn(
        { err, eventId: event.id, subject, attempt, retryInMs, consumer: this.#durable },
        "event handler failed; will redeliver",
      );
      message.nak(retryInMs);
      return;
    }
    // After commit: a crash before this ack means a redelivery, which the inbox turns into a no-op.
    message.ack();
    this.#metrics.consumed(subject);
  }

  #decode(message: JsMsg, attempt: number, subject: string): ReceivedEvent {
    const envelope = decodeEnvelope(message.data);
    return {
      id: envelope.eventId,
      type: envelope.type,
      source: envelope.source,
      subject,
      occurredAt: envelopeOccurredAt(envelope),
      aggregateId: envelope.aggregateId,
      aggregateVersion: envelope.aggregateVersion,
      attempt,
      envelope,
    };
  }

  async #giveUp(message: JsMsg, attempts: number, error: string): Promise<void> {
    try {
      await deadLetter(this.#options.js, {
        consumer: this.#durable,
        stream: this.#stream,
        message,
        attempts,
        error,
      });
    } catch (err) {
      // Not dead-lettered yet: leave it to a later delivery (the server allows a few beyond maxAttempts).
      this.#options.log.error(
        { err, subject: message.subject, consumer: this.#durable },
        "dead letter not published; will retry",
      );
      message.nak(this.#retryDelay(1));
      return;
    }
    message.term();
    this.#metrics.deadLettered(message.subject);
    this.#options.log.error(
      { subject: message.subject, attempts, error, consumer: this.#durable, streamSequence: message.seq },
      "event dead-lettered",
    );
  }

  /** At least 1 ms: a NAK without a delay means "redeliver now" (or on a backoff list, where one is set). */
  #retryDelay(attempt: number): number {
    return Math.max(1, backoffDelayMs(attempt, this.#settings.retryBackoff));
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}
