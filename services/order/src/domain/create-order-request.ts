import { createHash } from "node:crypto";
import { addressProblems, orderLinesProblems, textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
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

const CUSTOMER_ID = { min: 1, max: 128 } as const;
const IDEMPOTENCY_KEY = { min: 1, max: 128 } as const;

/** Every rule a create request must meet before anything is stored or reserved; all violations at once. */
export function validateCreateOrder(request: CreateOrderRequest, idempotencyKey: string | undefined): void {
  if (idempotencyKey === undefined || idempotencyKey.trim() === "") throw idempotencyKeyMissing();
  const violations = new Violations();
  violations.check("idempotency_key", textProblem(idempotencyKey, IDEMPOTENCY_KEY));
  violations.check("customer_id", textProblem(request.customerId, CUSTOMER_ID));
  for (const [field, problem] of orderLinesProblems(request.lines)) violations.add(field, problem);
  for (const [field, problem] of addressProblems(request.shippingAddress, "shipping_address")) {
    violations.add(field, problem);
  }
  violations.throwIfAny();
}

/**
 * A stable fingerprint of what the client asked for, so a repeated idempotency key can tell "the
 * same request again" from "a different request reusing the key".
 */
export function requestFingerprint(request: CreateOrderRequest): string {
  const a = request.shippingAddress;
  const canonical = JSON.stringify({
    customer_id: request.customerId,
    lines: request.lines.map((l) => [l.sku, l.quantity]),
    address: [a.name, a.line1, a.line2, a.city, a.postalCode, a.countryCode],
  });
  return createHash("sha256").update(canonical).digest("hex");
}
