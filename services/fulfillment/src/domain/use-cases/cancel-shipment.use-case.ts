import { textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { Shipment } from "../shipment.entity.ts";
import { validShipmentId } from "../validation/shipment-id.validation.ts";
import { type ChangeStatusDeps, changeStatus } from "./change-status.ts";

export const CANCEL_REASON_LIMITS = { min: 0, max: 500 } as const;

export interface CancelShipmentInput {
  readonly id: string;
  /** Optional, free text kept with the shipment. */
  readonly reason?: string;
}

export type CancelShipment = (input: CancelShipmentInput) => Promise<Shipment>;

/**
 * Cancels a shipment that has not left yet. Idempotent: cancelling a cancelled shipment returns it
 * unchanged (keeping the first reason); once SHIPPED it is ILLEGAL_TRANSITION.
 */
export function makeCancelShipment(deps: ChangeStatusDeps): CancelShipment {
  return async function cancelShipment(input) {
    const id = validShipmentId(input.id);
    const reason = input.reason ?? "";
    const violations = new Violations();
    violations.check("reason", textProblem(reason, CANCEL_REASON_LIMITS));
    violations.throwIfAny();
    return changeStatus(deps, id, "CANCELLED", reason);
  };
}
