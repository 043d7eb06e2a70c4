import { randomBytes } from "node:crypto";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  GetOrderRequestSchema,
  type Order,
  OrderService,
  OrderStatus,
} from "@orderly/contracts/order";
import { createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { runGrpcLoad } from "../lib/grpc-load.ts";
import { runHttpLoad } from "../lib/http-load.ts";
import { type DbCost, dbCost, type StatsReader } from "../lib/pg-stats.ts";
import { sleep, watchProcesses } from "../lib/processes.ts";
import type { LoadStats, StackScenarioResult } from "../lib/result.ts";
import { diffTotals, scrapeMetrics } from "../lib/server-metrics.ts";
import type { OrderLedger } from "./order-ledger.ts";
import { HOT_SKU, SKUS, STACK_SERVICES, type Stack } from "./stack.ts";

export interface StackPlan {
  connections: number;
  warmupSeconds: number;
  seconds: number;
  log: (line: string) => void;
  /** `Bearer …` sent with every request (the auth-cost scenario; others run with AUTH_DISABLED). */
  authorization?: string;
}

const STATUS_NAMES = Object.fromEntries(Object.entries(OrderStatus).map(([k, v]) => [v, k])) as Record<
  number,
  string
>;
const orderStatusName = (order: Order | undefined) => STATUS_NAMES[order?.status ?? 0] ?? "UNSPECIFIED";

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Analytical Street",
  city: "London",
  postal_code: "N1 9GU",
  country_code: "GB",
};

/** A small deterministic PRNG (mulberry32), so every run sends the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf (s = 1) over the 50 SKUs: a few bestsellers, a long tail, as a real catalogue sells. */
const ZIPF = (() => {
  const weights = SKUS.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => (acc += w / total));
})();

export interface OrderLine {
  sku: string;
  quantity: number;
}

/** 1 to 3 distinct SKUs from the Zipf mix, 1 to 3 of each; or one line of the hot SKU. */
export function orderLinesGenerator(seed: number, hot: boolean): () => OrderLine[] {
  const random = prng(seed);
  return () => {
    if (hot) return [{ sku: HOT_SKU, quantity: 1 + Math.floor(random() * 3) }];
    const count = 1 + Math.floor(random() * 3);
    const lines: OrderLine[] = [];
    while (lines.length < count) {
      const r = random();
      const sku = SKUS[ZIPF.findIndex((c) => r <= c)] ?? (SKUS[SKUS.length - 1] as string);
      if (!lines.some((l) => l.sku === sku)) lines.push({ sku, quantity: 1 + Math.floor(random() * 3) });
    }
    return lines;
  };
}

const runTag = randomBytes(3).toString("hex");
let keyCounter = 0;
const nextKey = (scenario: string) => `bench-${runTag}-${scenario}-${++keyCounter}`;
const customerOf = (n: number) => `bench-customer-${n % 500}`;

async function measured(
  stack: Stack,
  plan: StackPlan,
  name: string,
  description: string,
  load: (seconds: number) => Promise<LoadStats>,
  outcomes: Record<string, number>,
): Promise<StackScenarioResult> {
  if (plan.warmupSeconds > 0) {
    plan.log(`  ${name}: warm-up ${plan.warmupSeconds}s`);
    await load(plan.warmupSeconds);
  }
  for (const k of Object.keys(outcomes)) delete outcomes[k];
  const scrape = () => Promise.all(STACK_SERVICES.map((s) => scrapeMetrics(stack.httpUrl(s))));
  // This scrape also resets prom-client's event-loop histogram: the next one covers the load only.
  const before = await scrape();
  const watch = watchProcesses([
    ...STACK_SERVICES.map((s) => ({ name: s, pid: stack.services[s].pid })),
    { name: "load generator", pid: process.pid },
  ]);
  const answered = () => Object.values(outcomes).reduce((a, b) => a + b, 0);
  const window = stack.stats ? databaseWindow(stack.stats, plan.seconds, answered) : undefined;
  const stats = await load(plan.seconds);
  const processes = watch.stop();
  const after = await scrape();
  const database = await window?.catch((error: unknown) => {
    plan.log(`  ${name}: database counters failed: ${String(error)}`);
    return undefined;
  });
  const serverTimes = STACK_SERVICES.flatMap((s, i) =>
    diffTotals(s, before[i]?.totals ?? new Map(), after[i]?.totals ?? new Map()),
  );
  const eventLoop = STACK_SERVICES.map((service, i) => ({ service, ...after[i]?.runtime }));
  const serviceCpu = processes
    .filter((p) => (STACK_SERVICES as readonly string[]).includes(p.name))
    .reduce((sum, p) => sum + p.cpuSeconds, 0);
  const cpuMsPerOrder =
    stats.requests > 0 ? Math.round((serviceCpu / stats.requests) * 1e5) / 100 : Number.NaN;
  plan.log(
    `  ${name}: ${stats.rps.toFixed(0)} req/s  p50 ${stats.latencyMs.p50} p99 ${stats.latencyMs.p99} ms  errors ${stats.errors} non-2xx ${stats.non2xx}  ${JSON.stringify(outcomes)}  CPU ${cpuMsPerOrder} ms/req${database ? `  commits/order ${database.total.commitsPerOrder} (${database.services.map((d) => `${d.service} ${d.commitsPerOrder}`).join(", ")})` : ""}`,
  );
  return {
    kind: "stack",
    name,
    description,
    connections: plan.connections,
    stats,
    processes,
    outcomes: { ...outcomes },
    serverTimes,
    cpuMsPerRequest: cpuMsPerOrder,
    eventLoop,
    ...(database ? { database } : {}),
  };
}

/**
 * Two pg_stat_database snapshots inside the load (after 20 % of it, and 10 % before its end), and
 * the orders answered between them: commits per order in steady state, with the counters' flush lag
 * (about a second) the same at both ends. Warm-up leftovers and the tail of abandoned requests fall
 * outside the window.
 */
async function databaseWindow(
  reader: StatsReader,
  seconds: number,
  answered: () => number,
): Promise<DbCost | undefined> {
  const t0 = performance.now();
  const startMs = Math.max(1000, seconds * 200);
  const endMs = seconds * 1000 - Math.max(500, seconds * 100);
  if (endMs - startMs < 1000) return undefined;
  await sleep(startMs);
  const before = await reader.snapshot();
  const answeredBefore = answered();
  const tBefore = performance.now();
  await sleep(Math.max(0, endMs - (performance.now() - t0)));
  const after = await reader.snapshot();
  const orders = answered() - answeredBefore;
  return dbCost(before, after, orders, (performance.now() - tBefore) / 1000, reader.statementsNote);
}

/** POST /v1/orders with unique idempotency keys; `hot` sends every order to one SKU. */
export function orderCreateHttp(
  stack: Stack,
  ledger: OrderLedger,
  plan: StackPlan,
  options: { hot: boolean; name?: string },
): Promise<StackScenarioResult> {
  const name = options.name ?? (options.hot ? "order-create-hot" : "order-create");
  const url = `${stack.httpUrl("order")}/v1/orders`;
  const lines = orderLinesGenerator(options.hot ? 2 : 1, options.hot);
  const outcomes: Record<string, number> = {};
  let n = 0;
  const replay = (key: string, body: string) => async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": key,
        ...(plan.authorization ? { authorization: plan.authorization } : {}),
      },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    if (!response.ok) return undefined;
    const order = (await response.json()) as { id: string; status: string };
    return { id: order.id, status: order.status };
  };
  const load = (seconds: number) =>
    runHttpLoad({
      url,
      connections: plan.connections,
      durationSeconds: seconds,
      requests: [
        {
          method: "POST",
          path: "/v1/orders",
          setupRequest(request, context) {
            const key = nextKey(name);
            const body = JSON.stringify({
              customer_id: customerOf(n++),
              lines: lines(),
              shipping_address: ADDRESS,
            });
            context.key = key;
            ledger.sent(key, replay(key, body));
            request.headers = {
              ...request.headers,
              "content-type": "application/json",
              "idempotency-key": key,
              ...(plan.authorization ? { authorization: plan.authorization } : {}),
            };
            request.body = body;
            return request;
          },
          onResponse(status, body, context) {
            if (status < 200 || status >= 300) return;
            const order = JSON.parse(body) as { id: string; status: string };
            ledger.answered(context.key as string, order.id, order.status);
            outcomes[order.status] = (outcomes[order.status] ?? 0) + 1;
          },
        },
      ],
    });
  const what = options.hot ? "every order one line of one hot SKU" : "1-3 lines from 50 SKUs (Zipf)";
  return measured(
    stack,
    plan,
    name,
    `POST /v1/orders over the full stack, ${plan.connections} connections, unique idempotency keys, ${what}`,
    load,
    outcomes,
  );
}

function createOrderBytes(n: number, lines: OrderLine[]): Buffer {
  const bytes = toBinary(
    CreateOrderRequestSchema,
    create(CreateOrderRequestSchema, {
      customerId: customerOf(n),
      lines: lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
      shippingAddress: {
        name: ADDRESS.name,
        line1: ADDRESS.line1,
        city: ADDRESS.city,
        postalCode: ADDRESS.postal_code,
        countryCode: ADDRESS.country_code,
      },
    }),
  );
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Sends one raw unary call (used to replay unanswered CreateOrder calls). */
function unaryOnce(address: string, path: string, request: Buffer, metadata: grpc.Metadata): Promise<Buffer> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      request,
      metadata,
      { deadline: Date.now() + 20_000 },
      (error, response) => (error || !response ? reject(error) : resolve(response)),
    );
  }).finally(() => client.close());
}

export const GRPC_CHANNELS = 4;
const CREATE_ORDER_PATH = "/orderly.order.v1.OrderService/CreateOrder";

/** OrderService/CreateOrder over gRPC with metadata idempotency-key. */
export function orderCreateGrpc(
  stack: Stack,
  ledger: OrderLedger,
  plan: StackPlan,
): Promise<StackScenarioResult> {
  const address = stack.grpcAddress("order");
  const lines = orderLinesGenerator(3, false);
  const outcomes: Record<string, number> = {};
  const load = (seconds: number) =>
    runGrpcLoad({
      address,
      path: CREATE_ORDER_PATH,
      concurrency: plan.connections,
      channels: GRPC_CHANNELS,
      durationSeconds: seconds,
      deadlineMs: 10_000,
      next(i) {
        const key = nextKey("order-create-grpc");
        const request = createOrderBytes(i, lines());
        const metadata = new grpc.Metadata();
        metadata.set("idempotency-key", key);
        ledger.sent(key, async () => {
          const order = fromBinary(
            CreateOrderResponseSchema,
            await unaryOnce(address, CREATE_ORDER_PATH, request, metadata),
          ).order;
          return order ? { id: order.id, status: orderStatusName(order) } : undefined;
        });
        return {
          request,
          metadata,
          onResponse(bytes) {
            const order = fromBinary(CreateOrderResponseSchema, bytes).order;
            if (!order) return;
            const status = orderStatusName(order);
            ledger.answered(key, order.id, status);
            outcomes[status] = (outcomes[status] ?? 0) + 1;
          },
        };
      },
    });
  return measured(
    stack,
    plan,
    "order-create-grpc",
    `OrderService/CreateOrder over gRPC, ${plan.connections} in flight over ${GRPC_CHANNELS} connections, idempotency-key metadata, 1-3 lines from 50 SKUs (Zipf)`,
    load,
    outcomes,
  );
}

/** OrderService/GetOrder on ids created by the earlier scenarios, picked at random. */
export function orderGet(stack: Stack, ledger: OrderLedger, plan: StackPlan): Promise<StackScenarioResult> {
  const ids = ledger.ids();
  if (ids.length === 0) throw new Error("order-get needs orders created by an earlier scenario");
  const requests = ids.map((id) =>
    Buffer.from(toBinary(GetOrderRequestSchema, create(GetOrderRequestSchema, { id }))),
  );
  const random = prng(4);
  const outcomes: Record<string, number> = {};
  const metadata = new grpc.Metadata();
  if (plan.authorization) metadata.set("authorization", plan.authorization);
  const load = (seconds: number) =>
    runGrpcLoad({
      address: stack.grpcAddress("order"),
      ...(stack.grpcCredentials ? { credentials: stack.grpcCredentials } : {}),
      path: "/orderly.order.v1.OrderService/GetOrder",
      concurrency: plan.connections,
      channels: GRPC_CHANNELS,
      durationSeconds: seconds,
      next: () => ({
        request: requests[Math.floor(random() * requests.length)] as Buffer,
        metadata,
        // Counted so the database window has a denominator (commits per read).
        onResponse() {
          outcomes.read = (outcomes.read ?? 0) + 1;
        },
      }),
    });
  return measured(
    stack,
    plan,
    "order-get",
    `OrderService/GetOrder over gRPC on ${ids.length} created ids (random), ${plan.connections} in flight over ${GRPC_CHANNELS} connections`,
    load,
    outcomes,
  );
}

/**
 * After the load: replays every request that got no 2xx/OK answer (same idempotency key, same body),
 * then waits until no acknowledged order is PENDING (the saga worker finishes deferred steps).
 */
export async function settleOrders(
  stack: Stack,
  ledger: OrderLedger,
  log: (line: string) => void,
  timeoutMs = 60_000,
): Promise<{ replayed: number; replayFailed: number; stillPending: number }> {
  const { replayed } = await ledger.replayOutstanding();
  let failed = ledger.outstanding.size;
  // A replay can meet its original still in flight (409) or a server too busy to answer in time:
  // a client retries, so does the bench, a few times with growing pauses.
  for (let attempt = 1; failed > 0 && attempt <= 4; attempt++) {
    await sleep(1000 * attempt);
    ({ failed } = await ledger.replayOutstanding());
  }
  if (replayed > 0)
    log(`  settle: replayed ${replayed} unanswered requests (${failed} failed after 5 tries)`);
  const client = createGrpcClient(OrderService, {
    ...(stack.grpcCredentials ? { credentials: stack.grpcCredentials } : {}),
    target: stack.grpcAddress("order"),
    peer: "order",
    log: createLogger({ service: "bench", version: "0", instance: "bench", level: "silent" }),
    metrics: createMetrics({ service: "bench", version: "0", collectDefault: false }),
    defaultDeadlineMs: 10_000,
  });
  try {
    const deadline = Date.now() + timeoutMs;
    let pending = ledger.pendingIds();
    while (pending.length > 0 && Date.now() < deadline) {
      for (const id of pending) {
        const { order } = await client.getOrder({ id });
        ledger.orders.set(id, orderStatusName(order));
      }
      pending = ledger.pendingIds();
      if (pending.length > 0) await sleep(500);
    }
    if (pending.length > 0) log(`  settle: ${pending.length} orders still PENDING after ${timeoutMs} ms`);
    return { replayed, replayFailed: failed, stillPending: pending.length };
  } finally {
    client.close();
  }
}
