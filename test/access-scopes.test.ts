/**
 * The scope table, enforced: every HTTP route of every service (read from its own /openapi.json)
 * and every RPC (read from the contracts' descriptors) declares who may call it, the declaration is
 * the one below, and a running service answers 401 without a token, 403 without the scope, and lets
 * the scope through. A new route or RPC fails here until it is added to the table.
 */
import type { DescService } from "@bufbuild/protobuf";
import { getOption } from "@bufbuild/protobuf";
import { access } from "@orderly/contracts/access";
import { FulfillmentService } from "@orderly/contracts/fulfillment";
import { InventoryService } from "@orderly/contracts/inventory";
import { InvoiceService } from "@orderly/contracts/invoice";
import { OrderService } from "@orderly/contracts/order";
import { SCOPES } from "@orderly/kit/auth";
import type { Service } from "@orderly/kit/service";
import { createTestAuth, type TestAuth } from "@orderly/testkit/auth";
import { rawCall } from "@orderly/testkit/grpc";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as fulfillmentMain } from "../services/fulfillment/src/main.ts";
import { main as inventoryMain } from "../services/inventory/src/main.ts";
import { main as invoiceMain } from "../services/invoice/src/main.ts";
import { main as orderMain } from "../services/order/src/main.ts";

// gRPC status codes (google.rpc.Code).
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;

type AnyMain = (env: Env) => Promise<Service<string, unknown>>;
const SERVICES = {
  order: { main: orderMain, grpc: OrderService },
  inventory: { main: inventoryMain, grpc: InventoryService },
  invoice: { main: invoiceMain, grpc: InvoiceService },
  fulfillment: { main: fulfillmentMain, grpc: FulfillmentService },
} as unknown as Record<string, { main: AnyMain; grpc: DescService }>;

/** `<service> <METHOD> <path>` → the scope the route needs. */
const HTTP_SCOPES: Record<string, string> = {
  "order POST /v1/orders": "orders:write",
  "order GET /v1/orders": "orders:read",
  "order GET /v1/orders/{id}": "orders:read",
  "order POST /v1/orders/{id}/cancel": "orders:write",
  "inventory GET /v1/items": "inventory:read",
  "inventory GET /v1/items/{sku}": "inventory:read",
  "inventory PUT /v1/items/{sku}": "inventory:write",
  "inventory GET /v1/items/{sku}/adjustments": "inventory:read",
  "inventory POST /v1/items/{sku}/adjustments": "inventory:write",
  "invoice GET /v1/invoices": "invoices:read",
  "invoice GET /v1/invoices/{id}": "invoices:read",
  "invoice GET /v1/invoices/{id}.pdf": "invoices:read",
  "fulfillment GET /v1/shipments": "orders:read",
  "fulfillment GET /v1/shipments/{id}": "orders:read",
  "fulfillment POST /v1/shipments/{id}/pick": "shipments:write",
  "fulfillment POST /v1/shipments/{id}/pack": "shipments:write",
  "fulfillment POST /v1/shipments/{id}/ship": "shipments:write",
  "fulfillment POST /v1/shipments/{id}/deliver": "shipments:write",
  "fulfillment POST /v1/shipments/{id}/cancel": "shipments:write",
};

/** `/<package>.<Service>/<Method>` → the bearer scope it needs ("" for internal RPCs: callers only). */
const RPC_SCOPES: Record<string, string> = {
  "/orderly.order.v1.OrderService/CreateOrder": "orders:write",
  "/orderly.order.v1.OrderService/GetOrder": "orders:read",
  "/orderly.order.v1.OrderService/ListOrders": "orders:read",
  "/orderly.order.v1.OrderService/CancelOrder": "orders:write",
  "/orderly.order.v1.OrderService/WatchOrder": "orders:read",
  "/orderly.order.v1.OrderService/RecordShipmentEvent": "",
  "/orderly.inventory.v1.InventoryService/GetItem": "",
  "/orderly.inventory.v1.InventoryService/ListItems": "",
  "/orderly.inventory.v1.InventoryService/UpsertItem": "admin",
  "/orderly.inventory.v1.InventoryService/AdjustStock": "admin",
  "/orderly.inventory.v1.InventoryService/ListAdjustments": "admin",
  "/orderly.inventory.v1.InventoryService/Reserve": "",
  "/orderly.inventory.v1.InventoryService/Release": "",
  "/orderly.inventory.v1.InventoryService/Commit": "",
  "/orderly.invoice.v1.InvoiceService/IssueInvoice": "",
  "/orderly.invoice.v1.InvoiceService/GetInvoice": "",
  "/orderly.invoice.v1.InvoiceService/ListInvoices": "",
  "/orderly.invoice.v1.InvoiceService/VoidInvoice": "",
  "/orderly.fulfillment.v1.FulfillmentService/CreateShipment": "",
  "/orderly.fulfillment.v1.FulfillmentService/GetShipment": "",
  "/orderly.fulfillment.v1.FulfillmentService/ListShipments": "",
  "/orderly.fulfillment.v1.FulfillmentService/AdvanceShipment": "admin",
  "/orderly.fulfillment.v1.FulfillmentService/CancelShipment": "",
};

const ENV: Env = {
  DATABASE_URL: "pglite:memory",
  ORDER_GRPC_ADDR: "127.0.0.1:1",
  INVENTORY_GRPC_ADDR: "127.0.0.1:1",
  INVOICE_GRPC_ADDR: "127.0.0.1:1",
  FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
};

interface Operation {
  security?: Record<string, string[]>[];
}
type Doc = { paths: Record<string, Record<string, Operation>> };

let auth: TestAuth;
const running = new Map<string, RunningService>();
const routes: { key: string; service: string; method: string; path: string; scope: string | undefined }[] =
  [];

beforeAll(async () => {
  auth = await createTestAuth();
  await Promise.all(
    Object.entries(SERVICES).map(async ([name, { main }]) => {
      const service = await startInProcess(main, { ...ENV, ...auth.env });
      running.set(name, service);
      const doc = (await (await fetch(`${service.httpUrl}/openapi.json`)).json()) as Doc;
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const scope = operation.security?.[0]?.bearer?.[0];
          const key = `${name} ${method.toUpperCase()} ${path}`;
          routes.push({ key, service: name, method: method.toUpperCase(), path, scope });
        }
      }
    }),
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((s) => s.stop()));
  auth?.remove();
});

const SAMPLE: Record<string, string> = { id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", sku: "SKU-1" };
const urlOf = (service: string, path: string) =>
  `${running.get(service)?.httpUrl}${path.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE[name] ?? "x")}`;

async function call(service: string, method: string, path: string, authorization?: string) {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  if (method !== "GET") headers["content-type"] = "application/json";
  const response = await fetch(urlOf(service, path), {
    method,
    headers,
    ...(method === "GET" ? {} : { body: "{}" }),
  });
  return {
    status: response.status,
    challenge: response.headers.get("www-authenticate"),
    body: await response.text(),
  };
}

describe("HTTP routes against the scope table", () => {
  it("when every service's routes are listed, then each declares exactly the scope of the table, and the table has no route the services lack", () => {
    const declared = Object.fromEntries(routes.map((r) => [r.key, r.scope ?? "(none declared)"]));

    expect(declared).toEqual(HTTP_SCOPES);
  });

  it("when a route is called without a token, then 401 problem+json with WWW-Authenticate: Bearer", async () => {
    const answers = await Promise.all(
      routes.map(async (r) => {
        const { status, challenge, body } = await call(r.service, r.method, r.path);
        return { route: r.key, status, challenge, reason: (JSON.parse(body) as { reason?: string }).reason };
      }),
    );

    for (const answer of answers) {
      expect(answer).toEqual({
        route: answer.route,
        status: 401,
        challenge: "Bearer",
        reason: "TOKEN_MISSING",
      });
    }
  });

  it("when a route is called with a forged token, then 401 with error=invalid_token", async () => {
    const forged = await auth.bearer({ sub: "mallory", scope: [...SCOPES], key: await auth.foreignKey() });
    const answers = await Promise.all(
      routes.map(async (r) => ({ route: r.key, ...(await call(r.service, r.method, r.path, forged)) })),
    );

    for (const { route, status, challenge } of answers) {
      expect({ route, status, challenge }).toEqual({
        route,
        status: 401,
        challenge: 'Bearer error="invalid_token"',
      });
    }
  });

  it("when a route is called with every scope but its own, then 403 SCOPE_MISSING", async () => {
    const answers = await Promise.all(
      routes.map(async (r) => {
        const others = SCOPES.filter((s) => s !== r.scope && s !== "admin");
        const token = await auth.bearer({ sub: "alice", scope: others });
        const { status, body } = await call(r.service, r.method, r.path, token);
        return { route: r.key, status, reason: (JSON.parse(body) as { reason?: string }).reason };
      }),
    );

    for (const answer of answers) {
      expect(answer).toEqual({ route: answer.route, status: 403, reason: "SCOPE_MISSING" });
    }
  });

  it("when a route is called with its scope, then the gate lets it through (the answer is the route's own)", async () => {
    const answers = await Promise.all(
      routes.map(async (r) => {
        const token = await auth.bearer({ sub: "alice", scope: r.scope ?? "" });
        return { route: r.key, status: (await call(r.service, r.method, r.path, token)).status };
      }),
    );

    for (const { route, status } of answers) {
      expect([401, 403], `${route} answered ${status}`).not.toContain(status);
    }
  });

  it("when /health, /health/ready and /metrics are called without a token, then they answer", async () => {
    const order = running.get("order")?.httpUrl;
    const statuses = await Promise.all(
      ["/health", "/health/live", "/health/ready", "/metrics", "/openapi.json"].map(
        async (path) => (await fetch(`${order}${path}`)).status,
      ),
    );

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});

describe("RPCs against the scope table", () => {
  const methods = Object.entries(SERVICES).flatMap(([name, { grpc: service }]) =>
    service.methods.map((m) => ({
      service: name,
      path: `/${service.typeName}/${m.name}`,
      streaming: m.methodKind === "server_streaming",
      option: getOption(m, access),
    })),
  );

  it("when every RPC is listed, then each declares who may call it (a scope or callers) and its scope is the table's", () => {
    const undeclared = methods.filter((m) => m.option.scope === "" && m.option.callers.length === 0);
    const scopes = Object.fromEntries(methods.map((m) => [m.path, m.option.scope]));

    expect(undeclared.map((m) => m.path)).toEqual([]);
    expect(scopes).toEqual(RPC_SCOPES);
  });

  it("when a scoped RPC is called without a token, with a forged one, or without its scope, then UNAUTHENTICATED, UNAUTHENTICATED, PERMISSION_DENIED", async () => {
    const scoped = methods.filter((m) => m.option.scope !== "");
    const forged = await auth.bearer({ sub: "mallory", scope: [...SCOPES], key: await auth.foreignKey() });
    const answers = await Promise.all(
      scoped.map(async (m) => {
        const target = running.get(m.service)?.grpcAddress ?? "";
        const others = SCOPES.filter((s) => s !== m.option.scope && s !== "admin");
        const unscoped = await auth.bearer({ sub: "alice", scope: others });
        const code = async (authorization?: string) =>
          (
            await rawCall(target, m.path, {
              streaming: m.streaming,
              ...(authorization ? { metadata: { authorization } } : {}),
            })
          ).code;
        return {
          rpc: m.path,
          none: await code(),
          forged: await code(forged),
          unscoped: await code(unscoped),
        };
      }),
    );

    for (const answer of answers) {
      expect(answer).toEqual({
        rpc: answer.rpc,
        none: UNAUTHENTICATED,
        forged: UNAUTHENTICATED,
        unscoped: PERMISSION_DENIED,
      });
    }
  });

  it("when a scoped RPC is called with its scope, then the gate lets it through", async () => {
    const scoped = methods.filter((m) => m.option.scope !== "");
    const answers = await Promise.all(
      scoped.map(async (m) => {
        const target = running.get(m.service)?.grpcAddress ?? "";
        const token = await auth.bearer({ sub: "alice", scope: m.option.scope });
        const outcome = await rawCall(target, m.path, {
          streaming: m.streaming,
          metadata: { authorization: token },
        });
        // PERMISSION_DENIED for another reason (an ownership rule) is past the gate.
        return {
          rpc: m.path,
          code: outcome.code,
          scopeRefused: outcome.details.includes("needs a token with the scope"),
        };
      }),
    );

    for (const { rpc: path, code, scopeRefused } of answers) {
      expect(code, `${path} answered ${code}`).not.toBe(UNAUTHENTICATED);
      expect(scopeRefused, `${path} refused its own scope`).toBe(false);
    }
  });
});
