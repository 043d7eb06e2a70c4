import type { ShipmentStatusChanged } from "../shipment-status-changed.event.ts";

/**
 * Where status changes are published. An implementation belongs to one transaction: the event is
 * stored with the change it describes, or not at all (a transactional outbox).
 */
export interface ShipmentEvents {
  record(event: ShipmentStatusChanged): Promise<void>;
}
