import { ADDRESS_JSON_SCHEMA, addressToJson } from "@orderly/contracts/json-schemas";
import type { Shipment } from "../../domain/shipment.entity.ts";
import { SHIPMENT_STATUSES } from "../../domain/shipment-status.ts";
import { CANCEL_REASON_LIMITS } from "../../domain/use-cases/cancel-shipment.use-case.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
export const shipmentSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    order_id: { type: "string" },
    customer_id: { type: "string", description: "The order's customer; empty when created without one." },
    status: { type: "string", enum: SHIPMENT_STATUSES },
    lines: {
      type: "array",
      items: {
        type: "object",
        properties: { sku: { type: "string" }, quantity: { type: "integer" } },
        required: ["sku", "quantity"],
      },
    },
    address: ADDRESS_JSON_SCHEMA,
    carrier: { type: "string", description: "Set when SHIPPED; empty before." },
    tracking_number: { type: "string", description: "Set when SHIPPED; empty before." },
    cancel_reason: { type: "string" },
    created_at: { type: "string", format: "date-time" },
    updated_at: { type: "string", format: "date-time" },
  },
  required: [
    "id",
    "order_id",
    "customer_id",
    "status",
    "lines",
    "address",
    "carrier",
    "tracking_number",
    "cancel_reason",
    "created_at",
    "updated_at",
  ],
} as const;

export const shipmentPageSchema = {
  type: "object",
  properties: {
    shipments: { type: "array", items: shipmentSchema },
    next_page_token: { type: "string", description: "Empty on the last page." },
  },
  required: ["shipments", "next_page_token"],
} as const;

export const listShipmentsQuerySchema = {
  type: "object",
  properties: {
    order_id: { type: "string", maxLength: 128 },
    customer_id: { type: "string" },
    status: { type: "string", enum: SHIPMENT_STATUSES },
    page_size: { type: "integer", minimum: 0, maximum: 100, description: "0 or absent: 50." },
    page_token: { type: "string", maxLength: 1024 },
  },
  additionalProperties: false,
} as const;

export interface ListShipmentsQuery {
  order_id?: string;
  customer_id?: string;
  status?: string;
  page_size?: number;
  page_token?: string;
}

/** Pick, pack, ship and deliver take no body; `{}` is accepted too. */
export const noBodySchema = {
  type: "object",
  properties: {},
  additionalProperties: false,
} as const;

export const cancelBodySchema = {
  type: "object",
  properties: { reason: { type: "string", maxLength: CANCEL_REASON_LIMITS.max } },
  additionalProperties: false,
} as const;

export interface CancelBody {
  reason?: string;
}

/** Domain shipment -> the HTTP API's JSON (snake_case like the proto fields; "" for unset strings). */
export function shipmentToJson(shipment: Shipment) {
  const a = shipment.address;
  return {
    id: shipment.id,
    order_id: shipment.orderId,
    customer_id: shipment.customerId,
    status: shipment.status,
    lines: shipment.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    address: addressToJson(a),
    carrier: shipment.carrier ?? "",
    tracking_number: shipment.trackingNumber ?? "",
    cancel_reason: shipment.cancelReason ?? "",
    created_at: shipment.createdAt.toISOString(),
    updated_at: shipment.updatedAt.toISOString(),
  };
}
