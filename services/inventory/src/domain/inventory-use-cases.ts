import type { InventoryStore } from "./ports/inventory-store.port.ts";
import { type AdjustStock, makeAdjustStock } from "./use-cases/adjust-stock.use-case.ts";
import { type CommitReservation, makeCommitReservation } from "./use-cases/commit-reservation.use-case.ts";
import { type ExpireReservations, makeExpireReservations } from "./use-cases/expire-reservations.use-case.ts";
import { type GetItem, makeGetItem } from "./use-cases/get-item.use-case.ts";
import { type ListAdjustments, makeListAdjustments } from "./use-cases/list-adjustments.use-case.ts";
import { type ListItems, makeListItems } from "./use-cases/list-items.use-case.ts";
import { makeReleaseReservation, type ReleaseReservation } from "./use-cases/release-reservation.use-case.ts";
import { makeReserveStock, type ReserveStock } from "./use-cases/reserve-stock.use-case.ts";
import { makeUpsertItem, type UpsertItem } from "./use-cases/upsert-item.use-case.ts";

export interface InventoryUseCasesDeps {
  store: InventoryStore;
  /** The clock: every timestamp and deadline comes from it. */
  now: () => Date;
  /** How long a reservation stays held unless committed or released. */
  reservationTtlMs: number;
}

/** Every inventory use case, bound to one store and clock; what the transport layer calls. */
export interface InventoryUseCases {
  getItem: GetItem;
  listItems: ListItems;
  upsertItem: UpsertItem;
  adjustStock: AdjustStock;
  listAdjustments: ListAdjustments;
  reserve: ReserveStock;
  release: ReleaseReservation;
  commit: CommitReservation;
  expireReservations: ExpireReservations;
}

export function createInventoryUseCases(deps: InventoryUseCasesDeps): InventoryUseCases {
  if (!(deps.reservationTtlMs > 0)) throw new RangeError("reservationTtlMs must be positive");
  return {
    getItem: makeGetItem(deps),
    listItems: makeListItems(deps),
    upsertItem: makeUpsertItem(deps),
    adjustStock: makeAdjustStock(deps),
    listAdjustments: makeListAdjustments(deps),
    reserve: makeReserveStock(deps),
    release: makeReleaseReservation(deps),
    commit: makeCommitReservation(deps),
    expireReservations: makeExpireReservations(deps),
  };
}
