import type { Clock } from "@orderly/kit/domain";
import { shipmentNotFound } from "../fulfillment-errors.ts";
import type { IdGenerator } from "../ports/id-generator.port.ts";
import type { TrackingNumberGenerator } from "../ports/tracking-number-generator.port.ts";
import type { UnitOfWork } from "../ports/unit-of-work.port.ts";
import type { Shipment } from "../shipment.entity.ts";
import { transition } from "../shipment-state-machine.ts";
import type { ShipmentStatus } from "../shipment-status.ts";
import { statusChanged } from "../shipment-status-changed.event.ts";

export interface ChangeStatusDeps {
  readonly unitOfWork: UnitOfWork;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly trackingNumbers: TrackingNumberGenerator;
}

/**
 * Moves one shipment to `to` in one transaction: lock the row, apply the state machine, store the
 * change and its event together. A no-op (already there) stores and publishes nothing.
 */
export async function changeStatus(
  deps: ChangeStatusDeps,
  id: string,
  to: ShipmentStatus,
  cancelReason?: string,
): Promise<Shipment> {
  return deps.unitOfWork.run(async ({ shipments, events }) => {
    // Locked so that two concurrent changes cannot both start from the same status.
    const current = await shipments.findById(id, { forUpdate: true });
    if (current === null) throw shipmentNotFound(id);

    const { shipment, changed } = transition(current, to, {
      at: deps.clock.now(),
      newTrackingNumber: (carrier) => deps.trackingNumbers.next(carrier),
      ...(cancelReason === undefined ? {} : { cancelReason }),
    });
    if (!changed) return shipment;

    await shipments.update(shipment);
    await events.record(statusChanged(shipment, deps.ids.newId()));
    return shipment;
  });
}
