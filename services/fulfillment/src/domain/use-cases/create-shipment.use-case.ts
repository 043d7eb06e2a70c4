import { orderAlreadyShipping } from "../fulfillment-errors.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { IdGenerator } from "../ports/id-generator.port.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import type { Shipment } from "../shipment.entity.ts";
import { hasSameContent } from "../shipment-content.ts";
import { statusChanged } from "../shipment-status-changed.event.ts";
import {
  type CreateShipmentInput,
  validateCreateShipment,
} from "../validation/create-shipment.validation.ts";

export interface CreateShipmentDeps {
  readonly unitOfWork: UnitOfWork;
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
    const { unitOfWork, clock, ids } = this.#deps;

    return unitOfWork.run(async ({ shipments, events }) => {
      const now = clock.now();
      const shipment: Shipment = {
        id: ids.newId(),
        orderId: content.orderId,
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
      // inserts, the others wait for it and then see its row.
      if (await shipments.insertIfOrderIsNew(shipment)) {
        await events.record(statusChanged(shipment, ids.newId()));
        return shipment;
      }
      const existing = await shipments.findByOrderId(content.orderId);
      if (existing === null)
        throw new Error(`shipment for order ${content.orderId} vanished after a conflict`);
      if (!hasSameContent(existing, content)) throw orderAlreadyShipping(content.orderId, existing.id);
      return existing;
    });
  }
}
