import { type Carrier, carrierFor } from "./carrier.ts";
import { alreadyShipped, illegalTransition } from "./fulfillment-errors.ts";
import type { Shipment } from "./shipment.entity.ts";
import type { ShipmentStatus } from "./shipment-status.ts";

// One step forward at a time; cancelling is possible until the parcel has left (SHIPPED).
const NEXT: Readonly<Record<ShipmentStatus, readonly ShipmentStatus[]>> = {
  PENDING: ["PICKING", "CANCELLED"],
  PICKING: ["PACKED", "CANCELLED"],
  PACKED: ["SHIPPED", "CANCELLED"],
  SHIPPED: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
};

/** Whether `from -> to` is a real step (a status to itself is not a step: see `transition`). */
export function isLegalTransition(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return NEXT[from].includes(to);
}

/** SHIPPED or DELIVERED: the parcel is out of the warehouse's hands. */
export function hasLeft(status: ShipmentStatus): boolean {
  return status === "SHIPPED" || status === "DELIVERED";
}

export interface StatusChange {
  readonly at: Date;
  /**
   * Makes a tracking number for the chosen carrier. Called only when the shipment really becomes
   * SHIPPED, so a no-op or a refused step generates nothing.
   */
  readonly newTrackingNumber?: (carrier: Carrier) => string;
  /** Recorded when the shipment becomes CANCELLED. */
  readonly cancelReason?: string;
}

export interface TransitionResult {
  readonly shipment: Shipment;
  /** False when the shipment already had the target status: nothing to store, no event. */
  readonly changed: boolean;
}

/**
 * The shipment after moving it to `to`. Moving to the status it already has is a no-op, which makes
 * repeated requests idempotent; cancelling once the parcel has left throws ALREADY_SHIPPED (the
 * answer the order saga's compensation acts on); any other move that is not a legal step throws
 * ILLEGAL_TRANSITION.
 */
export function transition(shipment: Shipment, to: ShipmentStatus, change: StatusChange): TransitionResult {
  if (shipment.status === to) return { shipment, changed: false };
  if (to === "CANCELLED" && hasLeft(shipment.status)) throw alreadyShipped(shipment);
  if (!isLegalTransition(shipment.status, to)) throw illegalTransition(shipment.status, to);

  const moved: Shipment = { ...shipment, status: to, updatedAt: change.at };
  if (to === "SHIPPED") {
    if (!change.newTrackingNumber) throw new Error("transition to SHIPPED needs newTrackingNumber");
    const carrier = carrierFor(shipment.address.countryCode);
    return {
      shipment: { ...moved, carrier, trackingNumber: change.newTrackingNumber(carrier) },
      changed: true,
    };
  }
  if (to === "CANCELLED") {
    return { shipment: { ...moved, cancelReason: change.cancelReason ?? "" }, changed: true };
  }
  return { shipment: moved, changed: true };
}
