import type { ShipmentRepository } from "./shipment.repository.port.ts";
import type { ShipmentEvents } from "./shipment-events.port.ts";

/** What a use case may touch inside one transaction. */
export interface TransactionScope {
  readonly shipments: ShipmentRepository;
  readonly events: ShipmentEvents;
}

/**
 * Runs `work` in one database transaction: everything it stored commits together, or, if it throws,
 * nothing does and the error propagates.
 */
export interface UnitOfWork {
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
