import { type Env, envTypes, loadServiceConfig } from "@orderly/kit/config";
import { parseEventBusConfig } from "@orderly/kit/events";
import packageJson from "../package.json" with { type: "json" };

export const ORDER_PEERS = ["inventory", "invoice", "fulfillment"] as const;
export type OrderPeer = (typeof ORDER_PEERS)[number];

/** The order service's configuration: the standard variables plus its saga tuning. */
const ORDER_CONFIG = {
  name: "order",
  version: packageJson.version,
  defaultHttpPort: 8080,
  defaultGrpcPort: 50051,
  peers: ORDER_PEERS,
  // The saga cannot run without all three peers.
  requirePeers: true,
  // EVENT_BUS_URL: events go through NATS JetStream; without it, fulfillment pushes them over gRPC.
  sections: { eventBus: parseEventBusConfig },
  extra: {
    /** How long CreateOrder/CancelOrder drive the saga before answering (capped by the caller's deadline). */
    ORDER_REQUEST_BUDGET_MS: envTypes.positiveInt(5000),
    /** How often the saga worker looks for due and orphaned sagas. */
    SAGA_POLL_INTERVAL_MS: envTypes.positiveInt(250),
    /** How many due sagas one worker tick claims at a time. */
    SAGA_BATCH_SIZE: envTypes.positiveInt(20),
    /** A replica's hold on a saga; a dead replica's sagas are taken over after it lapses. */
    SAGA_LEASE_MS: envTypes.positiveInt(15000),
    SAGA_RETRY_INITIAL_MS: envTypes.positiveInt(200),
    SAGA_RETRY_MAX_MS: envTypes.positiveInt(10000),
    /** Per-call deadline towards inventory, invoice and fulfillment. */
    PEER_DEADLINE_MS: envTypes.positiveInt(2000),
    /**
     * Moves this replica's wall clock (order timestamps, request deadlines) by this many ms: the
     * fault suite's simulated clock jump of the saga worker's host. Saga leases and retry times
     * are kept in the database's clock and do not move with it. Default 0 (the system clock).
     */
    ORDERLY_CLOCK_OFFSET_MS: envTypes.integer(0),
  },
};

export function loadConfig(env: Env = process.env) {
  return loadServiceConfig(ORDER_CONFIG, env);
}

export type OrderConfig = ReturnType<typeof loadConfig>;
