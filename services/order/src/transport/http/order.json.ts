import { ADDRESS_JSON_SCHEMA, addressToJson, MONEY_JSON_SCHEMA } from "@orderly/contracts/json-schemas";
import { ADDRESS_LIMITS, MAX_LINE_QUANTITY, MAX_LINES, SKU_PATTERN } from "@orderly/contracts/rules";
import type { Money } from "../../domain/money.ts";
import type { Order } from "../../domain/order.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
/**
 * A shipping address as a client sends it: line2 optional, lengths and the country code checked.
 * The maxima are the wire's own (@orderly/contracts/rules), so OpenAPI documents what the domain
 * enforces; the domain still checks everything (gRPC has no schema), including the ISO 3166 list.
 */
const addressBody = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: ADDRESS_LIMITS.name.max },
    line1: { type: "string", maxLength: ADDRESS_LIMITS.line1.max },
    line2: { type: "string", maxLength: ADDRESS_LIMITS.line2.max },
    city: { type: "string", maxLength: ADDRESS_LIMITS.city.max },
    postal_code: { type: "string", maxLength: ADDRESS_LIMITS.postal_code.max },
    country_code: { type: "string", pattern: "^[A-Z]{2}$" },
  },
  required: ["name", "line1", "city", "postal_code", "country_code"],
  additionalProperties: false,
} as const;

export const orderSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    customer_id: { type: "string" },
    status: {
      type: "string",
      enum: ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "REJECTED", "FAILED", "CANCELLED"],
    },
    lines: {
      type: "array",
      items: {
        type: "object",
        properties: {
          sku: { type: "string" },
          quantity: { type: "integer" },
          name: {
            type: "string",
            description: "The item's name from the reservation; absent while PENDING.",
          },
          unit_price: MONEY_JSON_SCHEMA,
          line_total: MONEY_JSON_SCHEMA,
        },
        required: ["sku", "quantity"],
      },
    },
    shipping_address: ADDRESS_JSON_SCHEMA,
    subtotal: MONEY_JSON_SCHEMA,
    tax: MONEY_JSON_SCHEMA,
    total: MONEY_JSON_SCHEMA,
    invoice_id: { type: "string" },
    shipment_id: { type: "string" },
    status_reason: { type: "string" },
    created_at: { type: "string", format: "date-time" },
    updated_at: { type: "string", format: "date-time" },
  },
  required: ["id", "customer_id", "status", "lines", "shipping_address", "created_at", "updated_at"],
} as const;

export const createOrderBodySchema = {
  type: "object",
  properties: {
    customer_id: { type: "string", minLength: 1, maxLength: 128 },
    lines: {
      type: "array",
      minItems: 1,
      maxItems: MAX_LINES,
      items: {
        type: "object",
        properties: {
          sku: { type: "string", pattern: SKU_PATTERN.source },
          quantity: { type: "integer", minimum: 1, maximum: MAX_LINE_QUANTITY },
        },
        required: ["sku", "quantity"],
        additionalProperties: false,
      },
    },
    shipping_address: addressBody,
  },
  required: ["customer_id", "lines", "shipping_address"],
  additionalProperties: false,
} as const;

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
  const a = order.shippingAddress;
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
    shipping_address: addressToJson(a),
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
