// Test-only helpers for the grpc tests: a kit (logger capturing lines, metrics, health), servers on
// port 0 and clients that are cleaned up when the test ends, and a fake InventoryService.
import type { DescService } from "@bufbuild/protobuf";
import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService } from "@orderly/contracts/order";
import { onTestFinished } from "vitest";
import { AppError, Code } from "../errors/index.ts";
import { Health, Lifecycle } from "../health/index.ts";
import { createLogger, type Logger } from "../log/index.ts";
import { createMetrics, type Metrics, metricName } from "../metrics/index.ts";
import { createGrpcClient, type GrpcClientOptions } from "./grpc-client.ts";
import { GrpcServer, type GrpcServerOptions } from "./grpc-server.ts";
import { partialService } from "./partial-service.ts";
import type { Client, ServiceImplementation } from "./service-types.ts";

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface TestKit {
  log: Logger;
  lines: LogLine[];
  metrics: Metrics;
  lifecycle: Lifecycle;
  health: Health;
}

export function testKit(): TestKit {
  const lines: LogLine[] = [];
  const log = createLogger({
    service: "grpc-test",
    version: "0.0.0",
    instance: "test-1",
    level: "debug",
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  });
  const metrics = createMetrics({ service: "grpc-test", version: "0.0.0", collectDefault: false });
  const lifecycle = new Lifecycle();
  const health = new Health({ lifecycle, service: "grpc-test", version: "0.0.0", instance: "test-1" });
  lifecycle.moveTo("SERVING");
  return { log, lines, metrics, lifecycle, health };
}

export interface Started {
  server: GrpcServer;
  port: number;
  target: string;
}

/** A GrpcServer on 127.0.0.1:0 with `setup` applied, force-stopped when the test ends. */
export async function startServer(
  kit: TestKit,
  setup: (server: GrpcServer) => void,
  options: Partial<GrpcServerOptions> = {},
): Promise<Started> {
  const server = new GrpcServer({
    log: kit.log,
    metrics: kit.metrics,
    health: kit.health,
    service: "test",
    ...options,
  });
  setup(server);
  const port = await server.listen("127.0.0.1", 0);
  onTestFinished(() => server.drain(0));
  return { server, port, target: `127.0.0.1:${port}` };
}

/** A client closed when the test ends; small deadlines and backoffs keep tests fast. */
export function client<S extends DescService>(
  kit: TestKit,
  service: S,
  target: string,
  options: Partial<GrpcClientOptions> = {},
): Client<S> {
  const c = createGrpcClient(service, {
    target,
    peer: "inventory",
    log: kit.log,
    metrics: kit.metrics,
    // Generous: a loaded CI machine must not turn a slow first call into DEADLINE_EXCEEDED.
    defaultDeadlineMs: 10_000,
    retry: { maxAttempts: 4, initialBackoffMs: 1, maxBackoffMs: 5 },
    breaker: false,
    ...options,
  });
  onTestFinished(() => c.close());
  return c;
}

/** An InventoryService whose methods answer UNIMPLEMENTED unless overridden. */
export function fakeInventory(
  overrides: Partial<ServiceImplementation<typeof InventoryService>>,
): ServiceImplementation<typeof InventoryService> {
  return partialService(InventoryService, overrides);
}

/** GetItem calls held in flight until the test lets them answer. */
export interface HeldGetItem {
  /** The handler: answers `{ item: { sku } }`, once released when `holds(sku)`, else at once. */
  getItem: ServiceImplementation<typeof InventoryService>["getItem"];
  /** How many calls are waiting. */
  waiting(): number;
  /** Lets every waiting call answer. */
  releaseAll(): void;
}

/** A GetItem handler for fakeInventory that holds the calls `holds` picks (every call by default). */
export function heldGetItem(holds: (sku: string) => boolean = () => true): HeldGetItem {
  const held: (() => void)[] = [];
  return {
    async getItem(request) {
      if (holds(request.sku)) await new Promise<void>((resolve) => held.push(resolve));
      return { item: { sku: request.sku } };
    },
    waiting: () => held.length,
    releaseAll: () => {
      for (const release of held.splice(0)) release();
    },
  };
}

/** An OrderService (it has a server-streaming method) answering UNIMPLEMENTED unless overridden. */
export function fakeOrders(
  overrides: Partial<ServiceImplementation<typeof OrderService>>,
): ServiceImplementation<typeof OrderService> {
  return partialService(OrderService, overrides);
}

/** The value of one series of a counter or gauge, or the count of a histogram; 0 when absent. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(metricName(name));
  if (!metric) return 0;
  // prom-client's types declare a numeric enum for `type`; at runtime it is the string name.
  const values = (await metric.get()).values as {
    value: number;
    labels: Record<string, unknown>;
    metricName?: string;
  }[];
  const countName = `${metricName(name)}_count`;
  const isHistogram = values.some((v) => v.metricName === countName);
  const match = values.find(
    (v) =>
      (!isHistogram || v.metricName === countName) &&
      Object.entries(labels).every(([key, value]) => String(v.labels[key]) === value),
  );
  return match?.value ?? 0;
}

export function unavailable(message = "try again"): AppError {
  return new AppError({ code: Code.UNAVAILABLE, reason: "TEMPORARILY_UNAVAILABLE", message });
}

/** Resolves when `signal` aborts (for handlers that wait for cancel or drain). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
