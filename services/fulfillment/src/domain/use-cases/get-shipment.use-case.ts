import { shipmentNotFound } from "../fulfillment-errors.ts";
import type { ShipmentRepository } from "../ports/shipment.repository.port.ts";
import type { Shipment } from "../shipment.entity.ts";
import { validShipmentId } from "../validation/shipment-id.validation.ts";

export interface GetShipmentInput {
  readonly id: string;
  /** The customer the caller acts for; another customer's shipment is NOT_FOUND. Undefined: any. */
  readonly owner?: string | undefined;
}

export type GetShipment = (input: GetShipmentInput) => Promise<Shipment>;

/** The shipment, or NOT_FOUND SHIPMENT_NOT_FOUND. */
export function makeGetShipment(deps: { readonly shipments: ShipmentRepository }): GetShipment {
  return async function getShipment(input) {
    const id = validShipmentId(input.id);
    const shipment = await deps.shipments.findById(id);
    if (shipment === null || (input.owner !== undefined && shipment.customerId !== input.owner)) {
      throw shipmentNotFound(id);
    }
    return shipment;
  };
}
