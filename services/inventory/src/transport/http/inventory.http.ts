import { SKU_PATTERN } from "@orderly/contracts/rules";
import { validationError } from "@orderly/kit/errors";
import type { FastifyInstance } from "fastify";
import type { InventoryApi } from "../../domain/inventory-api.ts";
import { MAX_SKU_FILTER } from "../../domain/use-cases/list-items.use-case.ts";
import {
  type AdjustStockBody,
  adjustmentSchema,
  adjustmentToJson,
  adjustStockBodySchema,
  adjustStockHeadersSchema,
  IDEMPOTENCY_KEY_HEADER,
  itemSchema,
  itemToJson,
  moneyFromJson,
  pageQueryProperties,
  pageSchema,
  skuParams,
  type UpsertItemBody,
  upsertItemBodySchema,
} from "./inventory.json.ts";

interface PageQuery {
  page_size?: number;
  page_token?: string;
}

const tags = ["items"];

/** The inventory API over HTTP under /v1: wire <-> domain, nothing more. */
export function registerInventoryRoutes(app: FastifyInstance, api: InventoryApi): void {
  app.get<{ Querystring: PageQuery & { sku?: string[] } }>(
    "/v1/items",
    {
      config: { access: { scope: "inventory:read" } },
      schema: {
        summary: "List items by SKU, optionally only some SKUs",
        tags,
        querystring: {
          type: "object",
          properties: {
            ...pageQueryProperties,
            // Checked here rather than by the use case, which would name its own field `skus[i]`.
            sku: {
              type: "array",
              items: { type: "string", pattern: SKU_PATTERN.source },
              maxItems: MAX_SKU_FILTER,
              description:
                "Repeat to list only these SKUs (?sku=A&sku=B, at most 100); unknown ones are left out.",
            },
          },
        },
        response: {
          200: pageSchema("items", itemSchema),
        },
      },
    },
    async (request) => {
      const page = await api.listItems({
        pageSize: request.query.page_size,
        pageToken: request.query.page_token,
        skus: request.query.sku,
      });
      return { items: page.items.map(itemToJson), next_page_token: page.nextPageToken ?? "" };
    },
  );

  app.get<{ Params: { sku: string } }>(
    "/v1/items/:sku",
    {
      config: { access: { scope: "inventory:read" } },
      schema: {
        summary: "Get an item and its stock",
        tags,
        params: skuParams,
        response: { 200: itemSchema },
      },
    },
    async (request) => itemToJson(await api.getItem({ sku: request.params.sku })),
  );

  app.put<{ Params: { sku: string }; Body: UpsertItemBody }>(
    "/v1/items/:sku",
    {
      config: { access: { scope: "inventory:write" } },
      schema: {
        summary: "Create an item (201) or replace its name and price (200); stock changes only by adjustment",
        tags,
        params: skuParams,
        body: upsertItemBodySchema,
        response: { 200: itemSchema, 201: itemSchema },
      },
    },
    async (request, reply) => {
      const { item, created } = await api.upsertItem({
        sku: request.params.sku,
        name: request.body.name,
        unitPrice: moneyFromJson(request.body.unit_price),
      });
      return reply.code(created ? 201 : 200).send(itemToJson(item));
    },
  );

  app.post<{
    Params: { sku: string };
    Body: AdjustStockBody;
    Headers: { [IDEMPOTENCY_KEY_HEADER]?: string };
  }>(
    "/v1/items/:sku/adjustments",
    {
      config: { access: { scope: "inventory:write" } },
      schema: {
        summary: "Change on_hand by delta and record it in the audit trail (idempotent with adjustment_id)",
        tags,
        params: skuParams,
        body: adjustStockBodySchema,
        headers: adjustStockHeadersSchema,
        response: {
          201: {
            type: "object",
            properties: { item: itemSchema, adjustment: adjustmentSchema },
            required: ["item", "adjustment"],
          },
        },
      },
    },
    async (request, reply) => {
      const { item, adjustment } = await api.adjustStock({
        sku: request.params.sku,
        delta: request.body.delta,
        reason: request.body.reason,
        adjustmentId: adjustmentIdOf(request.body.adjustment_id, request.headers[IDEMPOTENCY_KEY_HEADER]),
      });
      return reply.code(201).send({ item: itemToJson(item), adjustment: adjustmentToJson(adjustment) });
    },
  );

  app.get<{ Params: { sku: string }; Querystring: PageQuery }>(
    "/v1/items/:sku/adjustments",
    {
      config: { access: { scope: "inventory:read" } },
      schema: {
        summary: "The item's stock audit trail, oldest first",
        tags,
        params: skuParams,
        querystring: { type: "object", properties: pageQueryProperties },
        response: {
          200: pageSchema("adjustments", adjustmentSchema),
        },
      },
    },
    async (request) => {
      const page = await api.listAdjustments({
        sku: request.params.sku,
        pageSize: request.query.page_size,
        pageToken: request.query.page_token,
      });
      return {
        adjustments: page.adjustments.map(adjustmentToJson),
        next_page_token: page.nextPageToken ?? "",
      };
    },
  );
}

/** The key from the body or the Idempotency-Key header; two different keys are a client error. */
function adjustmentIdOf(fromBody: string | undefined, fromHeader: string | undefined): string | undefined {
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw validationError([
      { field: "adjustment_id", description: "differs from the Idempotency-Key header; send one key" },
    ]);
  }
  return fromBody ?? fromHeader;
}
