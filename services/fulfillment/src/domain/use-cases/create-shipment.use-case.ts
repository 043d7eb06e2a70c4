import type { Clock } from "@orderly/kit/domain";
import { orderAlreadyShipping } from "../fulfillment-errors.ts";
import type { IdGenerator } from "../ports/id-generator.port.ts";
import type { ShipmentRepository } from "../ports/shipment.repository.port.ts";
import type { Shipment } from "../shipment.entity.ts";
import { hasSameContent } from "../shipment-content.ts";
import { statusChanged } from "../shipment-status-changed.event.ts";
import {
  type CreateShipmentInput,
  validateCreateShipment,
} from "../validation/create-shipment.validation.ts";

export type { CreateShipmentInput };

export interface CreateShipmentDeps {
  /** Not a unit of work: the repository stores a shipment and its event in one atomic write. */
  readonly shipments: ShipmentRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export type CreateShipment = (input: CreateShipmentInput) => Promise<Shipment>;

/**
 * Opens the shipment for an order, PENDING. Idempotent per order id: a repeat with the same content
 * returns the original shipment (whatever its status now) and publishes nothing; different content is
 * ORDER_ALREADY_SHIPPING.
 */
export function makeCreateShipment(deps: CreateShipmentDeps): CreateShipment {
  const { shipments, clock, ids } = deps;
  return async function createShipment(input) {
    const content = validateCreateShipment(input);
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
  };
}
