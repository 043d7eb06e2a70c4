import { createHash } from "node:crypto";
import { type FieldViolation, validationError } from "@orderly/kit/errors";
import type { Address } from "./order.ts";
import { idempotencyKeyMissing } from "./order-errors.ts";

export interface OrderLineRequest {
  sku: string;
  quantity: number;
}

export interface CreateOrderRequest {
  customerId: string;
  lines: OrderLineRequest[];
  shippingAddress: Address;
}

const SKU = /^[A-Z0-9-]{1,64}$/;
const MAX_LINES = 100;
const MAX_QUANTITY = 1000;
const MAX_TEXT = 200;

/** Every rule a create request must meet before anything is stored; all violations at once. */
export function validateCreateOrder(request: CreateOrderRequest, idempotencyKey: string | undefined): void {
  if (idempotencyKey === undefined || idempotencyKey.trim() === "") throw idempotencyKeyMissing();
  const violations: FieldViolation[] = [];
  const text = (field: string, value: string, required: boolean, max = MAX_TEXT) => {
    if (required && value.trim() === "") violations.push({ field, description: "is required" });
    else if (value.length > max) violations.push({ field, description: `must be at most ${max} characters` });
  };
  if (idempotencyKey.length > 128)
    violations.push({ field: "idempotency_key", description: "must be at most 128 characters" });
  text("customer_id", request.customerId, true, 128);
  if (request.lines.length === 0)
    violations.push({ field: "lines", description: "must contain at least one line" });
  if (request.lines.length > MAX_LINES)
    violations.push({ field: "lines", description: `must contain at most ${MAX_LINES} lines` });
  const seen = new Set<string>();
  request.lines.forEach((line, index) => {
    if (!SKU.test(line.sku)) {
      violations.push({
        field: `lines[${index}].sku`,
        description: "must be 1-64 upper-case letters, digits or dashes",
      });
    } else if (seen.has(line.sku)) {
      violations.push({
        field: `lines[${index}].sku`,
        description: "appears twice; put the total quantity on one line",
      });
    }
    seen.add(line.sku);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      violations.push({
        field: `lines[${index}].quantity`,
        description: `must be a whole number from 1 to ${MAX_QUANTITY}`,
      });
    }
  });
  const address = request.shippingAddress;
  text("shipping_address.name", address.name, true);
  text("shipping_address.line1", address.line1, true);
  text("shipping_address.line2", address.line2, false);
  text("shipping_address.city", address.city, true);
  text("shipping_address.postal_code", address.postalCode, true, 20);
  if (!/^[A-Z]{2}$/.test(address.countryCode)) {
    violations.push({
      field: "shipping_address.country_code",
      description: "must be an ISO 3166-1 alpha-2 code, e.g. US",
    });
  }
  if (violations.length > 0) throw validationError(violations);
}

/**
 * A stable fingerprint of what the client asked for, so a repeated idempotency key can tell "the
 * same request again" from "a different request reusing the key".
 */
export function requestFingerprint(request: CreateOrderRequest): string {
  const canonical = JSON.stringify({
    customer_id: request.customerId,
    lines: request.lines.map((l) => [l.sku, l.quantity]),
    address: [
      request.shippingAddress.name,
      request.shippingAddress.line1,
      request.shippingAddress.line2,
      request.shippingAddress.city,
      request.shippingAddress.postalCode,
      request.shippingAddress.countryCode,
    ],
  });
  return createHash("sha256").update(canonical).digest("hex");
}
