import type { DescService } from "@bufbuild/protobuf";
import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { InventoryService } from "@orderly/contracts/inventory";
import { InvoiceService } from "@orderly/contracts/invoice";
import { OrderService } from "@orderly/contracts/order";
import { AppError, codeName } from "@orderly/kit/errors";
import { createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import {
  createTestDatabase,
  snapshotTables,
  type TableSnapshot,
  type TestDatabase,
} from "@orderly/testkit/db";
import { RawCaller } from "@orderly/testkit/grpc";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as fulfillmentMain } from "../../services/fulfillment/src/main.ts";
import { main as inventoryMain } from "../../services/inventory/src/main.ts";
import { main as invoiceMain } from "../../services/invoice/src/main.ts";
import { main as orderMain } from "../../services/order/src/main.ts";
import { grpcCasesFor } from "./grpc-cases.ts";
import { casesFor, type HttpCase, SAMPLE_ID } from "./http-cases.ts";
import { seededRandom } from "./malformed-values.ts";

/*
 * Drives every HTTP route (read from the service's own /openapi.json) and every RPC of each
 * service with malformed values, one input at a time, the rest valid. Nothing malformed may
 * produce a 5xx / INTERNAL / UNKNOWN, an answer leaking internals, or any change to what the
 * database holds. Seeded: the same cases every run.
 */
const SEED = 20261204;
const NOWHERE = "127.0.0.1:1";
const INVALID_ARGUMENT = 3;
const UNKNOWN = 2;
// Text that is not text: always the caller's mistake, always a 400 / INVALID_ARGUMENT.
const ENCODING = /NUL|surrogate|UTF-8|controls/;
const INTERNAL = 13;

// What an answer must never carry: stack frames, SQL or driver text, internal addresses.
const LEAKS = [
  /\bat .+\.(ts|js):\d+/,
  /node:internal/,
  /node_modules/,
  /postgres(ql)?:\/\//,
  /\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET)\b/i,
  /invalid byte sequence|violates .* constraint|syntax error at/i,
  /ECONNREFUSED|127\.0\.0\.1:1\b/,
];

type Main = (env: Env) => Promise<Service<string, unknown>>;

/** One id-taking operation on both transports: what one malformed id must get the same answer from. */
interface Twin {
  http: (id: string) => { method: string; path: string; body?: string };
  rpc: string;
  request: (id: string) => Record<string, unknown>;
}
const byId = (path: string, rpc: string, field = "id"): Twin => ({
  http: (id) => ({ method: "GET", path: path.replace("{}", encodeURIComponent(id)) }),
  rpc,
  request: (id) => ({ [field]: id }),
});
const cancelById = (path: string, rpc: string): Twin => ({
  http: (id) => ({ method: "POST", path: path.replace("{}", encodeURIComponent(id)), body: "{}" }),
  rpc,
  request: (id) => ({ id }),
});

const SERVICES: { name: string; main: Main; grpc: DescService; twins: Twin[] }[] = [
  {
    name: "inventory",
    main: inventoryMain as unknown as Main,
    grpc: InventoryService,
    twins: [byId("/v1/items/{}", "getItem", "sku")],
  },
  {
    name: "invoice",
    main: invoiceMain as unknown as Main,
    grpc: InvoiceService,
    twins: [byId("/v1/invoices/{}", "getInvoice")],
  },
  {
    name: "fulfillment",
    main: fulfillmentMain as unknown as Main,
    grpc: FulfillmentService,
    twins: [byId("/v1/shipments/{}", "getShipment"), cancelById("/v1/shipments/{}/cancel", "cancelShipment")],
  },
  {
    name: "order",
    main: orderMain as unknown as Main,
    grpc: OrderService,
    twins: [byId("/v1/orders/{}", "getOrder"), cancelById("/v1/orders/{}/cancel", "cancelOrder")],
  },
];
const TWIN_IDS = ["zz", "ZZ", "0", "a".repeat(300), "01890a5d-ac96-774b-bcce-b302099a805", SAMPLE_ID];

interface Finding {
  where: string;
  what: string;
}

async function send(baseUrl: string, c: HttpCase): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(baseUrl + c.path, {
      method: c.method,
      headers: c.headers,
      ...(c.body !== undefined && c.method !== "GET" ? { body: c.body } : {}),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // The client refused to send it (a header it cannot encode): nothing reached the server.
    return { status: 0, text: String(error) };
  }
}

function changes(before: TableSnapshot, after: TableSnapshot): string[] {
  return Object.keys({ ...before, ...after })
    .filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]))
    .map((t) => `${t}: ${before[t]?.rows ?? 0} -> ${after[t]?.rows ?? 0} rows`);
}

for (const spec of SERVICES) {
  describe(`fuzz ${spec.name}`, () => {
    let database: TestDatabase;
    let running: RunningService<Service<string, unknown>>;
    let grpcClient: RawCaller;
    const db = () => running.service.database.db as Parameters<typeof snapshotTables>[0];
    const random = seededRandom(SEED);

    beforeAll(async () => {
      database = await createTestDatabase("pglite", `fuzz_${spec.name}`);
      running = await startInProcess(spec.main, {
        DATABASE_URL: database.url,
        AUTH_DISABLED: "true",
        INVENTORY_GRPC_ADDR: NOWHERE,
        INVOICE_GRPC_ADDR: NOWHERE,
        FULFILLMENT_GRPC_ADDR: NOWHERE,
        ORDER_GRPC_ADDR: NOWHERE,
      });
      grpcClient = new RawCaller(running.grpcAddress);
      if (spec.name === "inventory") {
        // One real item, so malformed adjustments and reads reach an existing SKU.
        const put = await fetch(`${running.httpUrl}/v1/items/FUZZ-1`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Fuzz", unit_price: { currency_code: "EUR", amount_minor: 100 } }),
        });
        expect(put.status).toBeLessThan(300);
      }
    }, 60_000);

    afterAll(async () => {
      grpcClient?.close();
      await running?.stop();
      await database?.drop();
    });

    it("when every route and RPC gets malformed values, then none answers 5xx / INTERNAL, leaks internals or changes stored data", async () => {
      const findings: Finding[] = [];
      const before = await snapshotTables(db());
      const openapi = (await (await fetch(`${running.httpUrl}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const routes = Object.entries(openapi.paths).flatMap(([template, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({ template, method, operation })),
      );
      expect(routes.length).toBeGreaterThan(0);
      let sent = 0;
      for (const { template, method, operation } of routes) {
        const routeBefore = await snapshotTables(db());
        for (const c of casesFor(method, template, operation, random)) {
          const answer = await send(running.httpUrl, c);
          sent++;
          const where = `${c.route} [${c.label}]`;
          if (answer.status >= 500)
            findings.push({ where, what: `${answer.status} ${answer.text.slice(0, 300)}` });
          else if (answer.status >= 200 && answer.status < 300 && c.method !== "GET")
            findings.push({ where, what: `accepted: ${answer.status} ${answer.text.slice(0, 200)}` });
          else if (ENCODING.test(c.label) && answer.status !== 400 && answer.status !== 0)
            findings.push({ where, what: `expected 400, got ${answer.status} ${answer.text.slice(0, 200)}` });
          const leak = LEAKS.find((re) => re.test(answer.text));
          if (leak) findings.push({ where, what: `leaks ${leak}: ${answer.text.slice(0, 300)}` });
        }
        for (const change of changes(routeBefore, await snapshotTables(db())))
          findings.push({ where: `${method.toUpperCase()} ${template}`, what: `stored change: ${change}` });
      }
      const grpcCases = grpcCasesFor(spec.grpc, random);
      for (const method of spec.grpc.methods) {
        const methodBefore = await snapshotTables(db());
        for (const c of grpcCases.filter((g) => g.method === method)) {
          const path = `/${c.method.parent.typeName}/${c.method.name}`;
          const answer = await grpcClient.call(path, c.bytes, c.method.methodKind === "server_streaming");
          sent++;
          const where = `${c.method.name} [${c.label}]`;
          if (answer.code === INTERNAL || answer.code === UNKNOWN)
            findings.push({
              where,
              what: `${answer.code === INTERNAL ? "INTERNAL" : "UNKNOWN"} ${answer.details.slice(0, 300)}`,
            });
          else if (ENCODING.test(c.label) && answer.code !== INVALID_ARGUMENT)
            findings.push({
              where,
              what: `expected INVALID_ARGUMENT, got ${answer.code} ${answer.details.slice(0, 200)}`,
            });
          const leak = LEAKS.find((re) => re.test(answer.details));
          if (leak) findings.push({ where, what: `leaks ${leak}: ${answer.details.slice(0, 300)}` });
        }
        for (const change of changes(methodBefore, await snapshotTables(db())))
          findings.push({ where: method.name, what: `stored change: ${change}` });
      }
      expect(findings, `seed ${SEED}, ${sent} requests`).toEqual([]);
      expect(changes(before, await snapshotTables(db()))).toEqual([]);
      expect(sent).toBeGreaterThan(100);
    }, 120_000);

    it("when one malformed or unknown id is sent over HTTP and over gRPC, then both answer the same code and reason", async () => {
      const typed = createGrpcClient(spec.grpc, {
        target: running.grpcAddress,
        peer: spec.name,
        log: createLogger({ service: "fuzz", version: "0", instance: "fuzz", level: "silent" }),
        metrics: createMetrics({ service: "fuzz", version: "0", collectDefault: false }),
        retry: false,
        breaker: false,
      }) as unknown as Record<string, (request: Record<string, unknown>) => Promise<unknown>>;
      try {
        const mismatches: string[] = [];
        for (const twin of spec.twins) {
          for (const id of TWIN_IDS) {
            const h = twin.http(id);
            const response = await fetch(running.httpUrl + h.path, {
              method: h.method,
              headers: { "content-type": "application/json" },
              ...(h.body ? { body: h.body } : {}),
            });
            const problem = (await response.json()) as { code?: string; reason?: string };
            const error = await (typed[twin.rpc] as (r: Record<string, unknown>) => Promise<unknown>)(
              twin.request(id),
            ).then(
              () => undefined,
              (e: unknown) => e,
            );
            const grpcAnswer = error instanceof AppError ? `${codeName(error.code)} ${error.reason}` : "OK";
            const httpAnswer = response.ok ? "OK" : `${problem.code} ${problem.reason}`;
            if (grpcAnswer !== httpAnswer)
              mismatches.push(
                `${twin.rpc}(${id.slice(0, 40)}): HTTP ${response.status} ${httpAnswer}, gRPC ${grpcAnswer}`,
              );
          }
        }
        expect(mismatches).toEqual([]);
      } finally {
        (typed as unknown as { close(): void }).close();
      }
    });

    it.runIf(spec.name === "order")(
      "when the order's peers are unreachable, then the answers over HTTP and gRPC name no internal address, stack or driver text",
      async () => {
        const order = {
          customer_id: "fuzz-customer",
          lines: [{ sku: "FUZZ-1", quantity: 1 }],
          shipping_address: {
            name: "Ada",
            line1: "1 St",
            city: "London",
            postal_code: "N1",
            country_code: "GB",
          },
        };
        const response = await fetch(`${running.httpUrl}/v1/orders`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": "fuzz-peers-down" },
          body: JSON.stringify(order),
        });
        const text = await response.text();
        // Accepted and pending (the saga retries), or unavailable: an answer either way, not a crash.
        expect([201, 202, 503], text).toContain(response.status);
        expect(LEAKS.filter((re) => re.test(text)).map(String), text).toEqual([]);
        const listed = await fetch(
          `${running.httpUrl}/v1/orders/${(JSON.parse(text) as { id?: string }).id ?? SAMPLE_ID}`,
        );
        const listedText = await listed.text();
        expect(LEAKS.filter((re) => re.test(listedText)).map(String), listedText).toEqual([]);
      },
    );
  });
}
