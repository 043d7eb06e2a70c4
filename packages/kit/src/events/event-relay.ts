import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { sql } from "kysely";
import type { Registry } from "prom-client";
import type { AnySchema } from "../db/any-schema.ts";
import { backoffDelayMs } from "../db/backoff.ts";
import type { Database, DbLogger } from "../db/database.types.ts";
import { OutboxRelay, type OutboxRelayOptions } from "../db/outbox-relay.ts";
import type { EventStreamSettings } from "./event-bus-config.ts";
import { eventPublisher } from "./event-publisher.ts";
import { ensureStream, eventStream, StreamSettingsNotApplied } from "./event-streams.ts";
import { noPublisherMetrics, registerPublisherMetrics, registerScrapedGauge } from "./events.metrics.ts";
import { eventSubject } from "./subjects.ts";

export interface EventRelayOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  database: Database<AnySchema>;
  /** The producing service: its stream `ORDERLY_<SOURCE>` is created or updated at start. */
  source: string;
  /** The event tokens this service records (`confirmed`, `shipment_shipped`); only these are relayed. */
  events: readonly string[];
  stream: EventStreamSettings;
  log: DbLogger;
  /** Registers orderly_events_published_total and orderly_events_relay_backlog_age_seconds (and the outbox_* metrics). */
  registry?: Registry;
  /** Tuning of the underlying OutboxRelay (batch size, poll interval, attempts, backoff, lease). */
  relay?: Pick<OutboxRelayOptions, "batchSize" | "pollIntervalMs" | "maxAttempts" | "backoff" | "leaseMs">;
  publishTimeoutMs?: number;
}

export interface EventRelay {
  readonly name: string;
  /** Creates or updates the stream (retrying in the background while the broker is down), then relays. */
  start(): void;
  stop(): Promise<void>;
  /** Publishes everything due now; for tests and tools. */
  drainOnce(): Promise<number>;
}

/**
 * The outbox relay with JetStream as its sink: what recordEvent stored in a committed transaction
 * is published at least once, per aggregate in order. Runs beside any other relay of the service
 * (it only takes the topics of its own events).
 */
export function createEventRelay(options: EventRelayOptions): EventRelay {
  const subjects = options.events.map((event) => eventSubject(options.source, event));
  const relay = new OutboxRelay({
    ...options.relay,
    database: options.database,
    log: options.log,
    topics: subjects,
    ...(options.registry ? { metrics: { registry: options.registry } } : {}),
    deliver: eventPublisher({
      js: options.js,
      metrics: options.registry ? registerPublisherMetrics(options.registry) : noPublisherMetrics,
      ...(options.publishTimeoutMs === undefined ? {} : { publishTimeoutMs: options.publishTimeoutMs }),
    }),
  });
  let unregister: (() => void) | undefined;
  let ensuring: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;

  const ensureUntilDone = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await ensureStream(options.jsm, eventStream(options.source), options.stream);
        return;
      } catch (err) {
        if (err instanceof StreamSettingsNotApplied) {
          // Publishing works on the stream as it is; a wrong setting must not stop the events.
          options.log.error(
            { err },
            "event stream settings not applied; relaying to the stream as configured",
          );
          return;
        }
        const retryInMs = backoffDelayMs(attempt, { initialMs: 500, maxMs: 30_000 }) + 100;
        options.log.warn({ err, retryInMs }, "event stream not created or updated; retrying");
        // stop() cuts the wait short.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  return {
    name: `event-relay:${options.source}`,
    start() {
      stopped = false;
      // Relay only once the stream exists: before, every publish would fail with no responders.
      ensuring = ensureUntilDone().then(() => {
        if (!stopped) relay.start();
      });
      if (options.registry && unregister === undefined) {
        unregister = registerScrapedGauge(
          options.registry,
          {
            name: "orderly_events_relay_backlog_age_seconds",
            help: "Age of the oldest event recorded but not yet published (0 when none), read when scraped.",
            labelNames: ["source"],
          },
          { source: options.source },
          () => oldestPendingAgeSeconds(options.database, subjects),
          (err) => options.log.warn({ err }, "event relay backlog age not collected"),
        );
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      unregister?.();
      unregister = undefined;
      await ensuring;
      await relay.stop();
    },
    drainOnce: () => relay.drainOnce(),
  };
}

async function oldestPendingAgeSeconds(database: Database<AnySchema>, subjects: string[]): Promise<number> {
  const { rows } = await sql<{ age: number | string | null }>`
    select extract(epoch from now() - min(created_at)) as age from kit_outbox
    where status = 'pending' and topic = any(${sql.val(subjects)}::text[])
  `.execute(database.db);
  return Math.max(0, Number(rows[0]?.age ?? 0));
}
