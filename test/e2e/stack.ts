import { join } from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { InventoryService } from "@orderly/contracts/inventory";
import { InvoiceService } from "@orderly/contracts/invoice";
import { OrderService } from "@orderly/contracts/order";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { type Env, type RunningService, type StartedService, startInProcess } from "@orderly/testkit/harness";
import { freePort } from "@orderly/testkit/net";
import { main as fulfillmentMain } from "../../services/fulfillment/src/main.ts";
import { main as inventoryMain } from "../../services/inventory/src/main.ts";
import { main as invoiceMain } from "../../services/invoice/src/main.ts";
import { main as orderMain } from "../../services/order/src/main.ts";

export const repoRoot = join(import.meta.dirname, "../..");

type Main = (env: Env) => Promise<StartedService>;
const MAINS: Record<ServiceName, Main> = {
  inventory: inventoryMain,
  invoice: invoiceMain,
  fulfillment: fulfillmentMain,
  order: orderMain,
};
export type ServiceName = "inventory" | "invoice" | "fulfillment" | "order";

/** Settings that make the saga and the relay quick in tests. */
export const FAST_SAGA_ENV: Env = {
  SAGA_POLL_INTERVAL_MS: "50",
  SAGA_LEASE_MS: "2000",
  SAGA_RETRY_INITIAL_MS: "50",
  SAGA_RETRY_MAX_MS: "500",
  PEER_DEADLINE_MS: "2000",
  OUTBOX_POLL_INTERVAL_MS: "50",
  OUTBOX_RETRY_INITIAL_MS: "50",
  OUTBOX_RETRY_MAX_MS: "500",
};

const quietLog = createLogger({ service: "e2e", version: "0", instance: "e2e", level: "silent" });
const metrics = createMetrics({ service: "e2e", version: "0", collectDefault: false });

export function clientFor<S extends DescService>(service: S, address: string): Client<S> {
  return createGrpcClient(service, {
    target: address,
    peer: service.typeName,
    log: quietLog,
    metrics,
    retry: false,
    breaker: false,
    defaultDeadlineMs: 15_000,
  });
}

/**
 * The four real services in this process, each on its own database, wired by static addresses
 * (gRPC ports chosen up front, so any of them can be stopped and started again at its address).
 */
export class Stack {
  readonly kind: TestDatabaseKind;
  readonly ports = {} as Record<ServiceName, number>;
  readonly databases = {} as Record<ServiceName, TestDatabase>;
  readonly running = new Map<ServiceName, RunningService>();
  readonly extraEnv: Partial<Record<ServiceName, Env>>;
  readonly #clients: { close(): void }[] = [];
  readonly #replicas: RunningService[] = [];

  constructor(kind: TestDatabaseKind, extraEnv: Partial<Record<ServiceName, Env>> = {}) {
    this.kind = kind;
    this.extraEnv = extraEnv;
  }

  /** Starts every service except those in `skip` (their ports and databases are still prepared). */
  static async start(
    kind: TestDatabaseKind,
    extraEnv: Partial<Record<ServiceName, Env>> = {},
    skip: readonly ServiceName[] = [],
  ): Promise<Stack> {
    const stack = new Stack(kind, extraEnv);
    for (const name of ["inventory", "invoice", "fulfillment", "order"] as const) {
      stack.ports[name] = await freePort();
      stack.databases[name] = await createTestDatabase(kind, `e2e_${name}`);
    }
    for (const name of ["inventory", "invoice", "fulfillment", "order"] as const) {
      if (!skip.includes(name)) await stack.startService(name);
    }
    return stack;
  }

  address(name: ServiceName): string {
    return `127.0.0.1:${this.ports[name]}`;
  }

  /** The environment a service gets: its database, its fixed gRPC port, its peers' addresses. */
  env(name: ServiceName): Env {
    return {
      DATABASE_URL: this.databases[name].url,
      GRPC_PORT: String(this.ports[name]),
      INVENTORY_GRPC_ADDR: this.address("inventory"),
      INVOICE_GRPC_ADDR: this.address("invoice"),
      FULFILLMENT_GRPC_ADDR: this.address("fulfillment"),
      ORDER_GRPC_ADDR: this.address("order"),
      ...FAST_SAGA_ENV,
      ...this.extraEnv[name],
    };
  }

  async startService(name: ServiceName): Promise<RunningService> {
    const running = await startInProcess(MAINS[name], this.env(name));
    this.running.set(name, running);
    return running;
  }

  /** Another replica of `name` on the same database, on its own ephemeral ports. */
  async startReplica(name: ServiceName): Promise<RunningService> {
    const replica = await startInProcess(MAINS[name], { ...this.env(name), GRPC_PORT: "0" });
    this.#replicas.push(replica);
    return replica;
  }

  async stopService(name: ServiceName): Promise<void> {
    await this.running.get(name)?.stop();
    this.running.delete(name);
  }

  httpUrl(name: ServiceName): string {
    const running = this.running.get(name);
    if (!running) throw new Error(`${name} is not running`);
    return running.httpUrl;
  }

  clients() {
    const make = <S extends DescService>(service: S, name: ServiceName) => {
      const client = clientFor(service, this.address(name));
      this.#clients.push(client);
      return client;
    };
    return {
      order: make(OrderService, "order"),
      inventory: make(InventoryService, "inventory"),
      invoice: make(InvoiceService, "invoice"),
      fulfillment: make(FulfillmentService, "fulfillment"),
    };
  }

  async stop(): Promise<void> {
    for (const client of this.#clients) client.close();
    for (const replica of this.#replicas) await replica.stop();
    for (const name of ["order", "fulfillment", "invoice", "inventory"] as const)
      await this.stopService(name);
    for (const database of Object.values(this.databases)) await database.drop();
  }
}

/** Polls `read` until `done` holds; fails with the last value after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
