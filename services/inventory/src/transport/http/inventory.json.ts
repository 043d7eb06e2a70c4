import { MONEY_JSON_SCHEMA } from "@orderly/contracts/json-schemas";
import { JSON_DATE_TIME, JSON_INTEGER, JSON_STRING, jsonArray, jsonObject } from "@orderly/kit/http";
import type { Item } from "../../domain/entities/item.ts";
import type { StockAdjustment } from "../../domain/entities/stock-adjustment.ts";
import type { Money } from "../../domain/values/money.ts";

/*
 * JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them, and
 * they feed /openapi.json. Request schemas check shapes and types only: the use cases judge values
 * (SKU format, known currency, non-zero delta…) and name the field, the same for HTTP and gRPC.
 */

export const skuParams = jsonObject({
  sku: { type: "string", description: "Upper-case letters, digits and dashes, 1 to 64 characters." },
});

export const itemSchema = jsonObject({
  sku: JSON_STRING,
  name: JSON_STRING,
  unit_price: MONEY_JSON_SCHEMA,
  on_hand: JSON_INTEGER,
  reserved: JSON_INTEGER,
  available: { type: "integer", description: "on_hand - reserved; never below zero." },
  updated_at: JSON_DATE_TIME,
});

export const adjustmentSchema = jsonObject({
  id: JSON_STRING,
  sku: JSON_STRING,
  delta: JSON_INTEGER,
  reason: JSON_STRING,
  on_hand_after: JSON_INTEGER,
  created_at: JSON_DATE_TIME,
});

export const pageQueryProperties = {
  page_size: { type: "integer", description: "1 to 100; 0 or absent means 50." },
  page_token: { type: "string", description: "Opaque; a previous response's next_page_token." },
} as const;

/** A page of a list: the entries under `key`, and the token of the next page ("" on the last). */
export function pageSchema(key: string, entry: object) {
  return jsonObject({ [key]: jsonArray(entry), next_page_token: JSON_STRING });
}

export const upsertItemBodySchema = jsonObject(
  {
    name: { type: "string", description: "1 to 200 characters." },
    unit_price: { ...MONEY_JSON_SCHEMA, additionalProperties: false },
  },
  { closed: true },
);

export interface UpsertItemBody {
  name: string;
  unit_price: { currency_code: string; amount_minor: number };
}

export const adjustStockBodySchema = jsonObject(
  {
    delta: { type: "integer", description: "Non-zero; negative removes stock." },
    reason: { type: "string", description: "Why, for the audit trail (1 to 200 characters)." },
    adjustment_id: {
      type: "string",
      minLength: 1,
      description:
        "Idempotency key (1 to 128 characters), required here or as the Idempotency-Key header: a repeat returns the first result and moves no stock.",
    },
  },
  { optional: ["adjustment_id"], closed: true },
);

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

export const adjustStockHeadersSchema = {
  type: "object",
  properties: {
    [IDEMPOTENCY_KEY_HEADER]: {
      type: "string",
      description: "The adjustment_id, for clients that send idempotency keys as a header.",
    },
  },
} as const;

export interface AdjustStockBody {
  delta: number;
  reason: string;
  adjustment_id?: string;
}

export function moneyFromJson(json: UpsertItemBody["unit_price"]): Money {
  return { currencyCode: json.currency_code, amountMinor: json.amount_minor };
}

/** Domain item -> the HTTP API's JSON (snake_case like the proto fields; amounts as integers). */
export function itemToJson(item: Item) {
  return {
    sku: item.sku,
    name: item.name,
    unit_price: { currency_code: item.unitPrice.currencyCode, amount_minor: item.unitPrice.amountMinor },
    on_hand: item.onHand,
    reserved: item.reserved,
    available: item.available,
    updated_at: item.updatedAt.toISOString(),
  };
}

export function adjustmentToJson(adjustment: StockAdjustment) {
  return {
    id: adjustment.id,
    sku: adjustment.sku,
    delta: adjustment.delta,
    reason: adjustment.reason,
    on_hand_after: adjustment.onHandAfter,
    created_at: adjustment.createdAt.toISOString(),
  };
}
