import { validationError } from "@orderly/kit/errors";
import type { Shipment } from "../shipment.entity.ts";
import { validShipmentId } from "../validation/shipment-id.validation.ts";
import { charLength } from "../validation/violations.ts";
import { type ChangeStatusDeps, changeStatus } from "./change-status.ts";

export const MAX_CANCEL_REASON_LENGTH = 500;

export interface CancelShipmentInput {
  readonly id: string;
  /** Optional, free text kept with the shipment. */
  readonly reason?: string;
}

export type CancelShipmentDeps = ChangeStatusDeps;

/**
 * Cancels a shipment that has not left yet. Idempotent: cancelling a cancelled shipment returns it
 * unchanged (keeping the first reason); once SHIPPED it is ILLEGAL_TRANSITION.
 */
export class CancelShipment {
  readonly #deps: CancelShipmentDeps;

  constructor(deps: CancelShipmentDeps) {
    this.#deps = deps;
  }

  async execute(input: CancelShipmentInput): Promise<Shipment> {
    const id = validShipmentId(input.id);
    const reason = input.reason ?? "";
    if (typeof reason !== "string")
      throw validationError({ field: "reason", description: "must be a string" });
    if (charLength(reason) > MAX_CANCEL_REASON_LENGTH)
      throw validationError({
        field: "reason",
        description: `must be at most ${MAX_CANCEL_REASON_LENGTH} characters`,
      });
    return changeStatus(this.#deps, id, "CANCELLED", reason);
  }
}
