import { shipmentNotFound } from "../fulfillment-errors.ts";
import type { ShipmentRepository } from "../ports/shipment.repository.ts";
import type { Shipment } from "../shipment.entity.ts";
import { validShipmentId } from "../validation/shipment-id.validation.ts";

export interface GetShipmentInput {
  readonly id: string;
}

export interface GetShipmentDeps {
  readonly shipments: ShipmentRepository;
}

export class GetShipment {
  readonly #deps: GetShipmentDeps;

  constructor(deps: GetShipmentDeps) {
    this.#deps = deps;
  }

  /** The shipment, or NOT_FOUND SHIPMENT_NOT_FOUND. */
  async execute(input: GetShipmentInput): Promise<Shipment> {
    const id = validShipmentId(input.id);
    const shipment = await this.#deps.shipments.findById(id);
    if (shipment === null) throw shipmentNotFound(id);
    return shipment;
  }
}
