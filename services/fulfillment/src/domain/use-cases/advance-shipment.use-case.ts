import { validationError } from "@orderly/kit/errors";
import type { Shipment } from "../shipment.entity.ts";
import { isShipmentStatus, type ShipmentStatus } from "../shipment-status.ts";
import { validShipmentId } from "../validation/shipment-id.validation.ts";
import { type ChangeStatusDeps, changeStatus } from "./change-status.ts";

export interface AdvanceShipmentInput {
  readonly id: string;
  /** A status name as in the proto without its prefix ("PICKING"); CANCELLED goes through CancelShipment. */
  readonly toStatus: string;
}

export type AdvanceShipment = (input: AdvanceShipmentInput) => Promise<Shipment>;

/**
 * One step along PENDING -> PICKING -> PACKED -> SHIPPED -> DELIVERED (SHIPPED assigns the carrier and
 * a tracking number). Advancing to the current status returns the shipment unchanged; any other
 * move that is not the next step is ILLEGAL_TRANSITION.
 */
export function makeAdvanceShipment(deps: ChangeStatusDeps): AdvanceShipment {
  return async function advanceShipment(input) {
    const id = validShipmentId(input.id);
    const to = validTarget(input.toStatus);
    return changeStatus(deps, { id }, to);
  };
}

function validTarget(value: unknown): ShipmentStatus {
  if (value === undefined || value === "" || value === "UNSPECIFIED")
    throw validationError({ field: "to_status", description: "is required" });
  if (!isShipmentStatus(value))
    throw validationError({ field: "to_status", description: "is not a shipment status" });
  // Cancelling has its own operation, which records why.
  if (value === "CANCELLED")
    throw validationError({ field: "to_status", description: "CANCELLED is set by CancelShipment" });
  return value;
}
