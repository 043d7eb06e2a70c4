import { ADDRESS_JSON_SCHEMA, addressToJson, MONEY_JSON_SCHEMA } from "@orderly/contracts/json-schemas";
import { ADDRESS_LIMITS, MAX_LINE_QUANTITY, MAX_LINES, SKU_PATTERN } from "@orderly/contracts/rules";
import { JSON_DATE_TIME, JSON_INTEGER, JSON_STRING, jsonArray, jsonObject } from "@orderly/kit/http";
import type { Money } from "../../domain/money.ts";
import type { Order } from "../../domain/order.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
/**
 * A shipping address as a client sends it: line2 optional, lengths and the country code checked.
 * The maxima are the wire's own (@orderly/contracts/rules), so OpenAPI documents what the domain
 * enforces; the domain still checks everything (gRPC has no schema), including the ISO 3166 list.
 */
const addressBody = jsonObject(
  {
    name: { type: "string", maxLength: ADDRESS_LIMITS.name.max },
    line1: { type: "string", maxLength: ADDRESS_LIMITS.line1.max },
    line2: { type: "string", maxLength: ADDRESS_LIMITS.line2.max },
    city: { type: "string", maxLength: ADDRESS_LIMITS.city.max },
    postal_code: { type: "string", maxLength: ADDRESS_LIMITS.postal_code.max },
    country_code: { type: "string", pattern: "^[A-Z]{2}$" },
  },
  { optional: ["line2"], closed: true },
);

export const orderSchema = jsonObject(
  {
    id: JSON_STRING,
    customer_id: JSON_STRING,
    status: {
      type: "string",
      enum: ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "REJECTED", "FAILED", "CANCELLED"],
    },
    lines: jsonArray(
      jsonObject(
        {
          sku: JSON_STRING,
          quantity: JSON_INTEGER,
          name: {
            type: "string",
            description: "The item's name from the reservation; absent while PENDING.",
          },
          unit_price: MONEY_JSON_SCHEMA,
          line_total: MONEY_JSON_SCHEMA,
        },
        { optional: ["name", "unit_price", "line_total"] },
      ),
    ),
    shipping_address: ADDRESS_JSON_SCHEMA,
    subtotal: MONEY_JSON_SCHEMA,
    tax: MONEY_JSON_SCHEMA,
    total: MONEY_JSON_SCHEMA,
    invoice_id: JSON_STRING,
    shipment_id: JSON_STRING,
    status_reason: JSON_STRING,
    created_at: JSON_DATE_TIME,
    updated_at: JSON_DATE_TIME,
  },
  { optional: ["subtotal", "tax", "total", "invoice_id", "shipment_id", "status_reason"] },
);

export const createOrderBodySchema = jsonObject(
  {
    customer_id: { type: "string", minLength: 1, maxLength: 128 },
    lines: {
      type: "array",
      minItems: 1,
      maxItems: MAX_LINES,
      items: jsonObject(
        {
          sku: { type: "string", pattern: SKU_PATTERN.source },
          quantity: { type: "integer", minimum: 1, maximum: MAX_LINE_QUANTITY },
        },
        { closed: true },
      ),
    },
    shipping_address: addressBody,
  },
  { closed: true },
);

export interface CreateOrderBody {
  customer_id: string;
  lines: { sku: string; quantity: number }[];
  shipping_address: {
    name: string;
    line1: string;
    line2?: string;
    city: string;
    postal_code: string;
    country_code: string;
  };
}

function moneyJson(m: Money | undefined) {
  return m ? { currency_code: m.currency, amount_minor: m.amountMinor } : undefined;
}

/** Domain order -> the HTTP API's JSON (snake_case, like the proto fields; amounts as integers). */
export function orderToJson(order: Order) {
  return {
    id: order.id,
    customer_id: order.customerId,
    status: order.status,
    lines: order.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      ...(l.name !== undefined ? { name: l.name } : {}),
      unit_price: moneyJson(l.unitPrice),
      line_total: moneyJson(l.lineTotal),
    })),
    shipping_address: addressToJson(order.shippingAddress),
    subtotal: moneyJson(order.totals?.subtotal),
    tax: moneyJson(order.totals?.tax),
    total: moneyJson(order.totals?.total),
    invoice_id: order.invoiceId ?? "",
    shipment_id: order.shipmentId ?? "",
    status_reason: order.statusReason,
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
  };
}
