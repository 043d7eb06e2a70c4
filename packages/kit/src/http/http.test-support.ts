import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { notFound } from "../errors/index.ts";
import { type DependencyCheck, Health, Lifecycle } from "../health/index.ts";
import { createLogger } from "../log/index.ts";
import { createMetrics, type Metrics } from "../metrics/index.ts";
import { defineRoute } from "./define-route.ts";
import { createHttpServer, type HttpServerOptions } from "./http-server.ts";

export interface LogLine {
  level: string;
  msg?: string;
  request_id?: string;
  err?: { message: string; stack: string; type: string };
  [key: string]: unknown;
}

export interface TestServer {
  app: FastifyInstance;
  lifecycle: Lifecycle;
  health: Health;
  metrics: Metrics;
  /** Every line the server logged, parsed. */
  logs: LogLine[];
}

export interface TestServerOptions extends Partial<Omit<HttpServerOptions, "log" | "metrics" | "health">> {
  checks?: DependencyCheck[];
  /** Default SERVING. */
  state?: "STARTING" | "SERVING" | "DRAINING" | "STOPPED";
  logLevel?: string;
}

/** createHttpServer with real log, metrics and health, and the example routes. */
export function testServer(options: TestServerOptions = {}): TestServer {
  const logs: LogLine[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      callback();
    },
  });
  const log = createLogger({
    service: "inventory",
    version: "1.2.3",
    instance: "inventory-1",
    level: options.logLevel ?? "info",
    destination,
  });
  const metrics = createMetrics({ service: "inventory", version: "1.2.3", collectDefault: false });
  const lifecycle = new Lifecycle();
  const state = options.state ?? "SERVING";
  if (state !== "STARTING") lifecycle.moveTo(state);
  const health = new Health({
    lifecycle,
    service: "inventory",
    version: "1.2.3",
    instance: "inventory-1",
    checks: options.checks ?? [],
  });
  const { checks: _checks, state: _state, logLevel: _level, ...rest } = options;
  const app = createHttpServer({
    service: "inventory",
    version: "1.2.3",
    loadShedding: { retryAfterSeconds: 2 },
    ...rest,
    log,
    metrics,
    health,
  });
  registerExampleRoutes(app);
  return { app, lifecycle, health, metrics, logs };
}

export interface ItemWire {
  sku: string;
  name: string;
  on_hand: number;
}

const skuParams = {
  type: "object",
  required: ["sku"],
  properties: { sku: { type: "string", pattern: "^[A-Z0-9-]{3,32}$" } },
} as const;

const itemSchema = {
  type: "object",
  required: ["sku", "name", "on_hand"],
  properties: { sku: { type: "string" }, name: { type: "string" }, on_hand: { type: "integer" } },
} as const;

/**
 * The /v1 routes of a small inventory API, as a service would write them: schemas for params,
 * query and body; handlers that map wire to domain and back, throwing AppErrors.
 */
export function registerExampleRoutes(app: FastifyInstance): void {
  const items = new Map<string, ItemWire>([["SKU-1", { sku: "SKU-1", name: "Kettle", on_hand: 7 }]]);

  app.route(
    defineRoute<{ Params: { sku: string }; Querystring: { include_reserved?: boolean }; Reply: ItemWire }>({
      method: "GET",
      url: "/v1/items/:sku",
      operationId: "getItem",
      scope: "inventory:read",
      summary: "Read one item",
      tags: ["items"],
      schema: {
        params: skuParams,
        querystring: {
          type: "object",
          properties: { include_reserved: { type: "boolean" } },
          additionalProperties: false,
        },
        response: { 200: itemSchema },
      },
      handler: async (request) => {
        const item = items.get(request.params.sku);
        if (!item)
          throw notFound("ITEM_NOT_FOUND", `item ${request.params.sku} not found`, {
            sku: request.params.sku,
          });
        return item;
      },
    }),
  );

  app.route(
    defineRoute<{
      Params: { sku: string };
      Body: { order_id: string; lines: Array<{ warehouse: string; quantity: number }> };
      Reply: { reservation_id: string; quantity: number };
    }>({
      method: "POST",
      url: "/v1/items/:sku/reservations",
      operationId: "reserveItem",
      scope: "inventory:write",
      tags: ["items"],
      status: 201,
      schema: {
        params: skuParams,
        body: {
          type: "object",
          required: ["order_id", "lines"],
          additionalProperties: false,
          properties: {
            order_id: { type: "string", minLength: 1 },
            lines: {
              type: "array",
              minItems: 1,
              items: {
                type: "object",
                required: ["warehouse", "quantity"],
                properties: {
                  warehouse: { type: "string", enum: ["north", "south"] },
                  quantity: { type: "integer", minimum: 1 },
                },
              },
            },
          },
        },
        response: {
          201: {
            type: "object",
            required: ["reservation_id", "quantity"],
            properties: { reservation_id: { type: "string" }, quantity: { type: "integer" } },
          },
        },
      },
      handler: async (request) => ({
        reservation_id: `res-${request.body.order_id}`,
        quantity: request.body.lines.reduce((sum, line) => sum + line.quantity, 0),
      }),
    }),
  );

  app.get("/v1/boom", { config: { access: "public" }, schema: { hide: true } }, async () => {
    throw new Error("connection string postgres://admin:hunter2@db/inventory refused");
  });
}
