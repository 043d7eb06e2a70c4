import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  ReplayPolicy,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import type { DbLogger } from "../db/database.types.ts";

/** Deliveries the server still makes after maxAttempts: only to dead-letter (a DLQ publish that failed, a crash). */
export const DEAD_LETTER_DELIVERIES = 3;

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  source: string;
  /** The one subject (or wildcard) to receive: `filter_subject`, which servers before 2.10 need. */
  filter: string;
  maxAttempts: number;
  ackWaitMs: number;
  maxAckPending: number;
}

/** The durable pull consumer's server-side configuration. */
export function durableConsumerConfig(spec: DurableConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    description: `${spec.durable} consuming ${spec.source} events`,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: nanos(spec.ackWaitMs),
    // No server-side `backoff` list: the server would take its first entry as ack_wait, and
    // nats-server 2.9 then ignores a NAK's delay from the second redelivery on (measured). The
    // consumer naks with its own exponential, jittered delay instead; max_deliver bounds it.
    max_deliver: spec.maxAttempts + DEAD_LETTER_DELIVERIES,
    max_ack_pending: spec.maxAckPending,
    filter_subject: spec.filter,
  };
}

/** Creates the durable consumer, or updates the settings an existing one may change. */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  spec: DurableConsumerSpec,
  log: DbLogger,
): Promise<void> {
  const config = durableConsumerConfig(spec);
  const exists = () =>
    jsm.consumers.info(spec.stream, spec.durable).then(
      () => true,
      (err: unknown) => {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return false;
        throw err;
      },
    );
  if (!(await exists())) {
    await jsm.consumers.add(spec.stream, config).catch(async (err: unknown) => {
      // Another replica created it in between: fine.
      if (!(await exists())) throw err;
    });
    return;
  }
  const { durable_name: _, ack_policy: __, deliver_policy: ___, replay_policy: ____, ...updatable } = config;
  await jsm.consumers.update(spec.stream, spec.durable, updatable).catch((err: unknown) => {
    // An older server refuses some changes (a filter before 2.10): keep consuming as configured.
    log.warn({ err, consumer: spec.durable }, "event consumer not updated; using its existing configuration");
  });
}
