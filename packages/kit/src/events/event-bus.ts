import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Registry } from "prom-client";
import type { DbLogger } from "../db/database.types.ts";
import type { EventBusConfig } from "./event-bus-config.ts";
import { EventConsumer, type EventConsumerOptions } from "./event-consumer.ts";
import { createEventRelay, type EventRelay, type EventRelayOptions } from "./event-relay.ts";

type Provided = "js" | "jsm" | "stream" | "log" | "registry";

export interface EventBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** A background task publishing this service's recorded events (add it to the service's tasks). */
  relay(options: Omit<EventRelayOptions, Provided>): EventRelay;
  /** A background task consuming a producer's events (add it to the service's tasks). */
  // biome-ignore lint/suspicious/noExplicitAny: a consumer may use any service schema.
  consumer<DB = any>(options: Omit<EventConsumerOptions<DB>, Provided>): EventConsumer<DB>;
  /** For kit/health: fails while the connection to the broker is down (not required for readiness by default). */
  readonly check: { name: "event-bus"; required: boolean; check(signal: AbortSignal): Promise<void> };
  /** Drains the connection (in-flight acks and publishes go out). Stop relays and consumers first. */
  close(): Promise<void>;
  /**
   * A background task whose stop() closes the connection: add it before the relays and consumers,
   * and the service (which stops tasks in reverse) closes the connection after them.
   */
  readonly connectionTask: { name: string; start(): void; stop(): Promise<void> };
}

export interface ConnectEventBusOptions {
  config: EventBusConfig;
  /** Connection name the broker shows (the service and instance). */
  name: string;
  log: DbLogger;
  registry?: Registry;
  /** Whether readiness waits for the broker, default false (events wait in the outbox meanwhile). */
  required?: boolean;
}

/**
 * Connects to NATS from EVENT_BUS_URL (reconnecting for ever once connected) and gives the factories
 * for relays and consumers with the connection, stream settings, logger and metrics filled in.
 */
export async function connectEventBus(options: ConnectEventBusOptions): Promise<EventBus> {
  const nc = await connect({
    servers: options.config.servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  });
  void logStatus(nc, options.log);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const provided = { js, jsm, stream: options.config.stream, log: options.log };
  const withRegistry = options.registry ? { registry: options.registry } : {};
  const close = async () => {
    if (!nc.isClosed()) await nc.drain();
  };
  return {
    nc,
    js,
    jsm,
    relay: (relayOptions) => createEventRelay({ ...relayOptions, ...provided, ...withRegistry }),
    consumer: (consumerOptions) => new EventConsumer({ ...consumerOptions, ...provided, ...withRegistry }),
    check: {
      name: "event-bus",
      required: options.required ?? false,
      async check() {
        if (nc.isClosed()) throw new Error("event bus connection closed");
        await nc.flush();
      },
    },
    close,
    connectionTask: { name: "event-bus-connection", start() {}, stop: close },
  };
}

async function logStatus(nc: NatsConnection, log: DbLogger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === "disconnect")
      log.warn({ server: status.server }, "event bus disconnected; reconnecting");
    else if (status.type === "reconnect") log.info({ server: status.server }, "event bus reconnected");
  }
}
