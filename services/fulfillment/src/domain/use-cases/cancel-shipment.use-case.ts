import { textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { Shipment } from "../shipment.entity.ts";
import { ORDER_ID_LIMITS } from "../validation/create-shipment.validation.ts";
import { shipmentIdProblem } from "../validation/shipment-id.validation.ts";
import { type ChangeStatusDeps, changeStatus, type ShipmentRef } from "./change-status.ts";

export const CANCEL_REASON_LIMITS = { min: 0, max: 500 } as const;

export interface CancelShipmentInput {
  /** The shipment; or leave it empty and name the order instead (exactly one of the two). */
  readonly id?: string;
  /** The order whose shipment to cancel: how the order saga compensates without knowing the id. */
  readonly orderId?: string;
  /** Optional, free text kept with the shipment. */
  readonly reason?: string;
}

export type CancelShipment = (input: CancelShipmentInput) => Promise<Shipment>;

/**
 * Cancels a shipment that has not left yet. Idempotent: cancelling a cancelled shipment returns it
 * unchanged (keeping the first reason) and publishes nothing; once SHIPPED or DELIVERED it is
 * FAILED_PRECONDITION ALREADY_SHIPPED; an order without a shipment is NOT_FOUND SHIPMENT_NOT_FOUND.
 */
export function makeCancelShipment(deps: ChangeStatusDeps): CancelShipment {
  return async function cancelShipment(input) {
    const violations = new Violations();
    const reason = input.reason ?? "";
    violations.check("reason", textProblem(reason, CANCEL_REASON_LIMITS));
    const ref = shipmentRef(input, violations);
    violations.throwIfAny();
    return changeStatus(deps, ref as ShipmentRef, "CANCELLED", reason);
  };
}

function shipmentRef(input: CancelShipmentInput, violations: Violations): ShipmentRef | undefined {
  const hasId = input.id !== undefined && input.id !== "";
  const hasOrderId = input.orderId !== undefined && input.orderId !== "";
  if (hasId && hasOrderId) {
    violations.add("order_id", "must be empty when id is given (name the shipment one way)");
    return undefined;
  }
  if (hasOrderId) {
    const orderId = input.orderId as string;
    return violations.check("order_id", textProblem(orderId, ORDER_ID_LIMITS)) ? { orderId } : undefined;
  }
  // No order id: the id is required.
  return violations.check("id", shipmentIdProblem(input.id))
    ? { id: (input.id as string).toLowerCase() }
    : undefined;
}
