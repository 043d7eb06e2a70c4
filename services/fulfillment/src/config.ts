import { type Env, envTypes, loadServiceConfig } from "@orderly/kit/config";
import { parseEventBusConfig } from "@orderly/kit/events";
import packageJson from "../package.json" with { type: "json" };

/** Fulfillment calls only the order service: the outbox relay delivers shipment events to it. */
export const FULFILLMENT_PEERS = ["order"] as const;
export type FulfillmentPeer = (typeof FULFILLMENT_PEERS)[number];

/** The fulfillment service's configuration: the standard variables plus its outbox relay tuning. */
const FULFILLMENT_CONFIG = {
  name: "fulfillment",
  version: packageJson.version,
  defaultHttpPort: 8083,
  defaultGrpcPort: 50054,
  peers: FULFILLMENT_PEERS,
  // The relay's gRPC client to order is built even with EVENT_BUS_URL: its address is always needed.
  requirePeers: true,
  // EVENT_BUS_URL: shipment events go to NATS JetStream instead of the gRPC push to order.
  sections: { eventBus: parseEventBusConfig },
  extra: {
    /** How often an idle relay looks for due events (a commit wakes it sooner). */
    OUTBOX_POLL_INTERVAL_MS: envTypes.positiveInt(500),
    /** Events leased and delivered per batch. */
    OUTBOX_BATCH_SIZE: envTypes.positiveInt(20),
    /**
     * Failed deliveries of one event before it is dead-lettered. Every failure counts, an order
     * service that is down included: with the default backoff 500 attempts last about four hours.
     */
    OUTBOX_MAX_ATTEMPTS: envTypes.positiveInt(500),
    OUTBOX_RETRY_INITIAL_MS: envTypes.positiveInt(200),
    OUTBOX_RETRY_MAX_MS: envTypes.positiveInt(60_000),
    /** Deadline of one RecordShipmentEvent call towards the order service. */
    PEER_DEADLINE_MS: envTypes.positiveInt(2000),
  },
  // A backoff that ends below where it starts is a typo, not a policy.
  checkExtra: (settings: { OUTBOX_RETRY_INITIAL_MS: number; OUTBOX_RETRY_MAX_MS: number }) =>
    settings.OUTBOX_RETRY_MAX_MS < settings.OUTBOX_RETRY_INITIAL_MS
      ? [{ variable: "OUTBOX_RETRY_MAX_MS", expected: "a number >= OUTBOX_RETRY_INITIAL_MS" }]
      : [],
};

export function loadConfig(env: Env = process.env) {
  return loadServiceConfig(FULFILLMENT_CONFIG, env);
}

export type FulfillmentConfig = ReturnType<typeof loadConfig>;
