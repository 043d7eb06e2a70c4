import type { Shipment } from "../shipment.entity.ts";
import type { ShipmentStatus } from "../shipment-status.ts";
import type { ShipmentStatusChanged } from "../shipment-status-changed.event.ts";

export interface ShipmentListQuery {
  readonly orderId: string | null;
  readonly customerId: string | null;
  readonly status: ShipmentStatus | null;
  /** Only shipments whose id sorts after this one (keyset pagination); null for the first page. */
  readonly afterId: string | null;
  readonly limit: number;
}

export type InsertOutcome =
  | { readonly inserted: true }
  | { readonly inserted: false; readonly existing: Shipment };

export interface ShipmentRepository {
  /**
   * The shipment, or null. With `forUpdate` (inside a unit of work) the row stays locked until the
   * transaction ends, so concurrent changes to one shipment apply one after the other.
   */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Shipment | null>;
  /** The order's shipment, or null; `forUpdate` as for findById. */
  findByOrderId(orderId: string, options?: { forUpdate?: boolean }): Promise<Shipment | null>;
  /**
   * Stores a new shipment and the event announcing it, atomically and on its own (no unit of work
   * needed), unless its order already has a shipment: then nothing is stored and that shipment comes
   * back, one a concurrent create has just committed included.
   */
  insertIfOrderIsNew(shipment: Shipment, created: ShipmentStatusChanged): Promise<InsertOutcome>;
  /** Stores the status-related fields (status, carrier, tracking number, cancel reason, updated at). */
  update(shipment: Shipment): Promise<void>;
  /** Shipments matching the filters, in id (creation) order. */
  list(query: ShipmentListQuery): Promise<Shipment[]>;
}
