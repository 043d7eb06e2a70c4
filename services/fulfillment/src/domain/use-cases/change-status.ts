import type { Clock } from "@orderly/kit/domain";
import { noShipmentForOrder, shipmentNotFound } from "../fulfillment-errors.ts";
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
/** A shipment named by its id, or by its order's id (one shipment per order). */
export type ShipmentRef = { readonly id: string } | { readonly orderId: string };

export async function changeStatus(
  deps: ChangeStatusDeps,
  ref: ShipmentRef,
  to: ShipmentStatus,
  cancelReason?: string,
): Promise<Shipment> {
  return deps.unitOfWork.run(async ({ shipments, events }) => {
    // Locked so that two concurrent changes cannot both start from the same status.
    const current =
      "id" in ref
        ? await shipments.findById(ref.id, { forUpdate: true })
        : await shipments.findByOrderId(ref.orderId, { forUpdate: true });
    if (current === null) throw "id" in ref ? shipmentNotFound(ref.id) : noShipmentForOrder(ref.orderId);

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
