import type { ItemRepository } from "./item.repository.port.ts";
import type { ReservationRepository } from "./reservation.repository.port.ts";
import type { StockAdjustmentRepository } from "./stock-adjustment.repository.port.ts";

/** The inventory's repositories; outside a unit of work each call runs on its own. */
export interface InventoryRepositories {
  items: ItemRepository;
  reservations: ReservationRepository;
  adjustments: StockAdjustmentRepository;
}

/** Runs several repository calls as one transaction. */
export interface UnitOfWork {
  /**
   * Runs `work` atomically: it commits when `work` resolves and rolls back when it throws (the error
   * propagates unchanged). When the database reports a transient conflict (serialization failure,
   * deadlock, a racing insert of the same key) it rolls back and runs `work` again, so `work` must
   * do nothing outside the repositories it is given.
   */
  transaction<T>(work: (repositories: InventoryRepositories) => Promise<T>): Promise<T>;
}
