import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { InventoryService } from "@orderly/contracts/inventory";
import { AppError } from "@orderly/kit/errors";
import { type Client, createGrpcClient, richStatusOf } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabaseKind } from "@orderly/testkit/db";
import { type Env, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll } from "vitest";
import { main } from "../../src/main.ts";

export interface HttpAnswer {
  status: number;
  contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back.
  body: any;
}

/** The inventory service running in this process on its own database, with clients to call it. */
export interface InventoryHarness {
  inventory: Client<typeof InventoryService>;
  httpUrl: string;
  /** A JSON request; `raw` sends the text as is (for malformed bodies); `headers` are added. */
  http(
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer>;
  /** Sends bytes as the request of an InventoryService method, as no typed client would. */
  rawCall(method: string, bytes: Uint8Array): Promise<{ code: grpc.status; details: string; reason: string }>;
  /** Creates the item (EUR 12.50) and puts `onHand` units in stock. */
  seed(sku: string, onHand: number): Promise<void>;
  /** What GetItem answers for the SKU's stock. */
  stock(sku: string): Promise<{ onHand: number; reserved: number; available: number }>;
  close(): Promise<void>;
}

export async function startInventory(
  kind: TestDatabaseKind,
  label: string,
  env: Env = {},
): Promise<InventoryHarness> {
  const database = await createTestDatabase(kind, `inventory_${label}`);
  // The harness takes any service; main's is typed by its schema (Service is invariant in it).
  const start = (e: Env) => main(e) as unknown as Promise<Service<string, unknown>>;
  const running = await startInProcess(start, { DATABASE_URL: database.url, ...env });
  const inventory = createGrpcClient(InventoryService, {
    target: running.grpcAddress,
    peer: "inventory",
    log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
    metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
    // The concurrency tests queue hundreds of calls on a busy machine; failures must be answers, not timeouts.
    defaultDeadlineMs: 30_000,
  });

  const harness: InventoryHarness = {
    inventory,
    httpUrl: running.httpUrl,
    async http(method, path, body, raw, headers = {}) {
      const hasBody = body !== undefined || raw !== undefined;
      const response = await fetch(running.httpUrl + path, {
        method,
        ...(hasBody
          ? { headers: { "content-type": "application/json", ...headers }, body: raw ?? JSON.stringify(body) }
          : { headers }),
      });
      const contentType = response.headers.get("content-type") ?? "";
      const text = await response.text();
      return {
        status: response.status,
        contentType,
        body: contentType.includes("json") ? JSON.parse(text) : text,
      };
    },
    rawCall(method, bytes) {
      const raw = new grpc.Client(running.grpcAddress, grpc.credentials.createInsecure());
      const identity = (buffer: Buffer) => buffer;
      const path = `/${InventoryService.typeName}/${method}`;
      return new Promise((resolve, reject) => {
        raw.makeUnaryRequest(path, identity, identity, Buffer.from(bytes), (error, value) => {
          raw.close();
          if (!error) reject(new Error(`expected ${method} to fail, it answered ${value?.length} bytes`));
          else
            resolve({
              code: error.code,
              details: error.details,
              reason: richStatusOf(error)?.reason ?? "",
            });
        });
      });
    },
    async seed(sku, onHand) {
      await inventory.upsertItem({
        sku,
        name: `Item ${sku}`,
        unitPrice: { currencyCode: "EUR", amountMinor: 1250n },
      });
      if (onHand > 0) {
        await inventory.adjustStock({
          sku,
          delta: BigInt(onHand),
          reason: "initial stock",
          adjustmentId: `seed-${sku}-${randomUUID()}`,
        });
      }
    },
    async stock(sku) {
      const item = (await inventory.getItem({ sku })).item;
      return {
        onHand: Number(item?.onHand),
        reserved: Number(item?.reserved),
        available: Number(item?.available),
      };
    },
    async close() {
      inventory.close();
      await running.stop();
      await database.drop();
    },
  };
  return harness;
}

/**
 * One server and database for the enclosing describe block (a fresh database takes seconds), started
 * before its tests and stopped after; tests share it and use their own SKUs and ids.
 */
export function useInventory(kind: TestDatabaseKind, label: string, env: Env = {}): InventoryHarness {
  let started: InventoryHarness | undefined;
  beforeAll(async () => {
    started = await startInventory(kind, label, env);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as InventoryHarness, {
    get(_target, key) {
      if (!started) throw new Error("the inventory service is not running (use it inside a test)");
      return started[key as keyof InventoryHarness];
    },
  });
}

/** The AppError a call failed with; fails the test when it succeeded or failed with something else. */
export async function failure(call: Promise<unknown>): Promise<AppError> {
  const outcome = await call.then(
    () => new Error("expected the call to fail, it succeeded"),
    (error: unknown) => error,
  );
  if (outcome instanceof AppError) return outcome;
  throw outcome;
}

/** The fields an INVALID_ARGUMENT error names. */
export function fieldsOf(error: AppError | { details?: { violations?: { field: string }[] } }): string[] {
  const violations = (error.details as { violations?: { field: string }[] } | undefined)?.violations ?? [];
  return violations.map((violation) => violation.field);
}

/** Polls `read` until `done` holds or `timeoutMs` passes, then returns the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
