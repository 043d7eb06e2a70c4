import type { Clock } from "@orderly/kit/domain";
import type { InventoryRepositories, UnitOfWork } from "./ports/unit-of-work.port.ts";
import { type AdjustStock, makeAdjustStock } from "./use-cases/adjust-stock.use-case.ts";
import { type CommitReservation, makeCommitReservation } from "./use-cases/commit-reservation.use-case.ts";
import { type GetItem, makeGetItem } from "./use-cases/get-item.use-case.ts";
import { type ListAdjustments, makeListAdjustments } from "./use-cases/list-adjustments.use-case.ts";
import { type ListItems, makeListItems } from "./use-cases/list-items.use-case.ts";
import { makeReleaseReservation, type ReleaseReservation } from "./use-cases/release-reservation.use-case.ts";
import { makeReserveStock, type ReserveStock } from "./use-cases/reserve-stock.use-case.ts";
import { makeUpsertItem, type UpsertItem } from "./use-cases/upsert-item.use-case.ts";

export interface InventoryApiDeps extends InventoryRepositories {
  unitOfWork: UnitOfWork;
  /** Every timestamp and deadline comes from it. */
  clock: Clock;
  /** How long a reservation stays held unless committed or released. */
  reservationTtlMs: number;
}

/**
 * Every inventory use case the transports call, bound to one set of adapters and one clock. (The
 * expiry sweep is not here: only the background job runs it.)
 */
export interface InventoryApi {
  getItem: GetItem;
  listItems: ListItems;
  upsertItem: UpsertItem;
  adjustStock: AdjustStock;
  listAdjustments: ListAdjustments;
  reserve: ReserveStock;
  release: ReleaseReservation;
  commit: CommitReservation;
}

export function makeInventoryApi(deps: InventoryApiDeps): InventoryApi {
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
  };
}
