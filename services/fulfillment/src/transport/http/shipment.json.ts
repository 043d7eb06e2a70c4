import { ADDRESS_JSON_SCHEMA, addressToJson } from "@orderly/contracts/json-schemas";
import { JSON_DATE_TIME, JSON_INTEGER, JSON_STRING, jsonArray, jsonObject } from "@orderly/kit/http";
import type { Shipment } from "../../domain/shipment.entity.ts";
import { SHIPMENT_STATUSES } from "../../domain/shipment-status.ts";
import { CANCEL_REASON_LIMITS } from "../../domain/use-cases/cancel-shipment.use-case.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
export const shipmentSchema = jsonObject({
  id: JSON_STRING,
  order_id: JSON_STRING,
  customer_id: { type: "string", description: "The order's customer; empty when created without one." },
  status: { type: "string", enum: SHIPMENT_STATUSES },
  lines: jsonArray(jsonObject({ sku: JSON_STRING, quantity: JSON_INTEGER })),
  address: ADDRESS_JSON_SCHEMA,
  carrier: { type: "string", description: "Set when SHIPPED; empty before." },
  tracking_number: { type: "string", description: "Set when SHIPPED; empty before." },
  cancel_reason: JSON_STRING,
  created_at: JSON_DATE_TIME,
  updated_at: JSON_DATE_TIME,
});

export const shipmentPageSchema = jsonObject({
  shipments: jsonArray(shipmentSchema),
  next_page_token: { type: "string", description: "Empty on the last page." },
});

export const listShipmentsQuerySchema = jsonObject(
  {
    order_id: { type: "string", maxLength: 128 },
    customer_id: JSON_STRING,
    status: { type: "string", enum: SHIPMENT_STATUSES },
    page_size: { type: "integer", minimum: 0, maximum: 100, description: "0 or absent: 50." },
    page_token: { type: "string", maxLength: 1024 },
  },
  { optional: ["order_id", "customer_id", "status", "page_size", "page_token"], closed: true },
);

export interface ListShipmentsQuery {
  order_id?: string;
  customer_id?: string;
  status?: string;
  page_size?: number;
  page_token?: string;
}

/** Pick, pack, ship and deliver take no body; `{}` is accepted too. */
export const noBodySchema = jsonObject({}, { closed: true });

export const cancelBodySchema = jsonObject(
  { reason: { type: "string", maxLength: CANCEL_REASON_LIMITS.max } },
  { optional: ["reason"], closed: true },
);

export interface CancelBody {
  reason?: string;
}

/** Domain shipment -> the HTTP API's JSON (snake_case like the proto fields; "" for unset strings). */
export function shipmentToJson(shipment: Shipment) {
  return {
    id: shipment.id,
    order_id: shipment.orderId,
    customer_id: shipment.customerId,
    status: shipment.status,
    // A line's members are the wire's, name for name (sku, quantity).
    lines: shipment.lines,
    address: addressToJson(shipment.address),
    carrier: shipment.carrier ?? "",
    tracking_number: shipment.trackingNumber ?? "",
    cancel_reason: shipment.cancelReason ?? "",
    created_at: shipment.createdAt.toISOString(),
    updated_at: shipment.updatedAt.toISOString(),
  };
}
