import type { Shipment } from "../shipment.entity.ts";
import type { ShipmentStatus } from "../shipment-status.ts";

export interface ShipmentListQuery {
  readonly orderId: string | null;
  readonly status: ShipmentStatus | null;
  /** Only shipments whose id sorts after this one (keyset pagination); null for the first page. */
  readonly afterId: string | null;
  readonly limit: number;
}

export interface ShipmentRepository {
  /**
   * The shipment, or null. With `forUpdate` (inside a unit of work) the row stays locked until the
   * transaction ends, so concurrent changes to one shipment apply one after the other.
   */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Shipment | null>;
  findByOrderId(orderId: string): Promise<Shipment | null>;
  /**
   * Stores a new shipment unless one exists for its order id. False when one did (including one a
   * concurrent transaction just committed): the caller then reads that one back.
   */
  insertIfOrderIsNew(shipment: Shipment): Promise<boolean>;
  /** Stores the status-related fields (status, carrier, tracking number, cancel reason, updated at). */
  update(shipment: Shipment): Promise<void>;
  /** Shipments matching the filters, in id (creation) order. */
  list(query: ShipmentListQuery): Promise<Shipment[]>;
}
