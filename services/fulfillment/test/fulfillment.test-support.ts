import type { ChannelCredentials } from "@grpc/grpc-js";
import { FulfillmentService } from "@orderly/contracts/fulfillment";
import type { AddressFields } from "@orderly/contracts/rules";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger, type Logger } from "@orderly/kit/log";
import { createMetrics, type Metrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { main } from "../src/main.ts";

export interface SilentKit {
  log: Logger;
  metrics: Metrics;
}

export function silentKit(): SilentKit {
  return {
    log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
    metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
  };
}

export interface RunningFulfillment {
  running: RunningService;
  grpc: Client<typeof FulfillmentService>;
  stop(): Promise<void>;
}

/**
 * The fulfillment service through its own main(), on a fresh database of `kind`, with a gRPC client.
 * `orderPort` is where it finds the order service (nothing need listen there).
 */
export async function startFulfillment(
  kind: TestDatabaseKind,
  label: string,
  orderPort: number,
  env: Env = {},
  /** How the test's gRPC client connects: with TLS on, as the `order` service would. */
  credentials?: ChannelCredentials,
): Promise<RunningFulfillment> {
  const testDb = await createTestDatabase(kind, label);
  // The harness takes any service; main's is typed by its peers and schema.
  const start = (e: Env) => main(e) as unknown as Promise<Service<string, unknown>>;
  const running = await startInProcess(start, {
    DATABASE_URL: testDb.url,
    ORDER_GRPC_ADDR: `127.0.0.1:${orderPort}`,
    ...env,
  });
  const grpc = createGrpcClient(FulfillmentService, {
    ...(credentials ? { credentials } : {}),
    target: running.grpcAddress,
    peer: "fulfillment",
    ...silentKit(),
    retry: false,
  });
  return {
    running,
    grpc,
    stop: async () => {
      grpc.close();
      await running.stop();
      await testDb.drop();
    },
  };
}

export type AddressInit = AddressFields;

export interface CreateShipmentInit {
  orderId: string;
  customerId?: string;
  lines: { sku: string; quantity: bigint }[];
  address?: AddressInit;
}

/** A valid CreateShipment request for `orderId` of `customerId`, to DE (carrier DHL). */
export function createRequest(orderId: string, customerId = "customer-ada"): CreateShipmentInit {
  return {
    orderId,
    customerId,
    lines: [
      { sku: "MUG-1", quantity: 2n },
      { sku: "TEE-RED-M", quantity: 1n },
    ],
    address: {
      name: "Ada Lovelace",
      line1: "1 Loop Street",
      line2: "Floor 2",
      city: "Berlin",
      postalCode: "10115",
      countryCode: "DE",
    },
  };
}

/** One sample of a Prometheus text exposition (0 when absent). */
export function sampleValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}
