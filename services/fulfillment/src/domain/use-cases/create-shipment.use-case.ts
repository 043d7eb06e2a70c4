import { orderAlreadyShipping } from "../fulfillment-errors.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { IdGenerator } from "../ports/id-generator.port.ts";
import type { ShipmentRepository } from "../ports/shipment.repository.ts";
import type { Shipment } from "../shipment.entity.ts";
import { hasSameContent } from "../shipment-content.ts";
import { statusChanged } from "../shipment-status-changed.event.ts";
import {
  type CreateShipmentInput,
  validateCreateShipment,
} from "../validation/create-shipment.validation.ts";

export interface CreateShipmentDeps {
  /** Not a unit of work: the repository stores a shipment and its event in one atomic write. */
  readonly shipments: ShipmentRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * Opens the shipment for an order, PENDING. Idempotent per order id: a repeat with the same content
 * returns the original shipment (whatever its status now) and publishes nothing; different content is
 * ORDER_ALREADY_SHIPPING.
 */
export class CreateShipment {
  readonly #deps: CreateShipmentDeps;

  constructor(deps: CreateShipmentDeps) {
    this.#deps = deps;
  }

  async execute(input: CreateShipmentInput): Promise<Shipment> {
    const content = validateCreateShipment(input);
    const { shipments, clock, ids } = this.#deps;
    const now = clock.now();
    const shipment: Shipment = {
      id: ids.newId(),
      orderId: content.orderId,
      customerId: content.customerId,
      status: "PENDING",
      lines: content.lines,
      address: content.address,
      carrier: null,
      trackingNumber: null,
      cancelReason: null,
      createdAt: now,
      updatedAt: now,
    };
    // Insert first and read back on conflict: of concurrent creates for one order exactly one
    // inserts, the others wait for it and then get its row.
    const outcome = await shipments.insertIfOrderIsNew(shipment, statusChanged(shipment, ids.newId()));
    if (outcome.inserted) return shipment;
    if (!hasSameContent(outcome.existing, content))
      throw orderAlreadyShipping(content.orderId, outcome.existing.id);
    return outcome.existing;
  }
}
