import type { ItemRepository } from "./item.repository.port.ts";
import type { ReservationRepository } from "./reservation.repository.port.ts";
import type { StockAdjustmentRepository } from "./stock-adjustment.repository.port.ts";

export interface InventoryRepositories {
  items: ItemRepository;
  reservations: ReservationRepository;
  adjustments: StockAdjustmentRepository;
}

/**
 * The inventory's storage. The repositories on the store itself run each call on its own (for
 * reads); `transaction` gives repositories whose calls commit or roll back together.
 */
export interface InventoryStore extends InventoryRepositories {
  /**
   * Runs `work` atomically: it commits when `work` resolves and rolls back when it throws (the error
   * propagates unchanged). When the database reports a transient conflict (serialization failure,
   * deadlock, a racing insert of the same key) the store rolls back and runs `work` again, so `work`
   * must do nothing outside the repositories it is given.
   */
  transaction<T>(work: (repositories: InventoryRepositories) => Promise<T>): Promise<T>;
}
