import { type AppError, failedPrecondition, notFound } from "@orderly/kit/errors";

/** The proto's InventoryErrorReason names without the `INVENTORY_ERROR_REASON_` prefix. */
export const InventoryErrorReason = {
  ITEM_NOT_FOUND: "ITEM_NOT_FOUND",
  INSUFFICIENT_STOCK: "INSUFFICIENT_STOCK",
  RESERVATION_NOT_FOUND: "RESERVATION_NOT_FOUND",
  RESERVATION_NOT_HELD: "RESERVATION_NOT_HELD",
  RESERVATION_COMMITTED: "RESERVATION_COMMITTED",
  RESERVATION_CONFLICT: "RESERVATION_CONFLICT",
  STOCK_BELOW_ZERO: "STOCK_BELOW_ZERO",
  ADJUSTMENT_CONFLICT: "ADJUSTMENT_CONFLICT",
} as const;

export type InventoryErrorReason = (typeof InventoryErrorReason)[keyof typeof InventoryErrorReason];

export interface Shortage {
  sku: string;
  requested: number;
  available: number;
}

export function itemNotFound(skus: readonly string[]): AppError {
  return notFound(InventoryErrorReason.ITEM_NOT_FOUND, `no item with sku ${skus.join(", ")}`, {
    skus: [...skus],
  });
}

export function insufficientStock(shortages: readonly Shortage[]): AppError {
  const summary = shortages.map((s) => `${s.sku} (requested ${s.requested}, available ${s.available})`);
  return failedPrecondition(
    InventoryErrorReason.INSUFFICIENT_STOCK,
    `insufficient stock: ${summary.join(", ")}`,
    { shortages: shortages.map((s) => ({ sku: s.sku, requested: s.requested, available: s.available })) },
  );
}

export function reservationNotFound(reservationId: string): AppError {
  return notFound(InventoryErrorReason.RESERVATION_NOT_FOUND, `no reservation ${reservationId}`, {
    reservation_id: reservationId,
  });
}

export function reservationNotHeld(reservationId: string, status: string): AppError {
  return failedPrecondition(
    InventoryErrorReason.RESERVATION_NOT_HELD,
    `reservation ${reservationId} is ${status.toLowerCase()} and can no longer be committed`,
    { reservation_id: reservationId, status },
  );
}

export function reservationCommitted(reservationId: string): AppError {
  return failedPrecondition(
    InventoryErrorReason.RESERVATION_COMMITTED,
    `reservation ${reservationId} is committed and can no longer be released`,
    { reservation_id: reservationId },
  );
}

export function reservationConflict(reservationId: string): AppError {
  return failedPrecondition(
    InventoryErrorReason.RESERVATION_CONFLICT,
    `reservation ${reservationId} was made before with different lines`,
    { reservation_id: reservationId },
  );
}

export interface StockBelowZero {
  sku: string;
  onHand: number;
  reserved: number;
  delta: number;
}

export function stockBelowZero(input: StockBelowZero): AppError {
  return failedPrecondition(
    InventoryErrorReason.STOCK_BELOW_ZERO,
    `adjusting ${input.sku} by ${input.delta} would take on_hand (${input.onHand}) below what is reserved (${input.reserved})`,
    { sku: input.sku, on_hand: input.onHand, reserved: input.reserved, delta: input.delta },
  );
}

export function adjustmentConflict(adjustmentId: string): AppError {
  return failedPrecondition(
    InventoryErrorReason.ADJUSTMENT_CONFLICT,
    `adjustment ${adjustmentId} was made before with a different sku or delta`,
    { adjustment_id: adjustmentId },
  );
}
