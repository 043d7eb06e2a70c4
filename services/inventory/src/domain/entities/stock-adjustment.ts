/** One entry of a SKU's audit trail: who changed on_hand, by how much, and what it became. */
export interface StockAdjustment {
  /** UUIDv7, assigned when the adjustment is recorded. */
  id: string;
  /**
   * Increases with every adjustment recorded (across SKUs); within one SKU it follows the order in
   * which the adjustments took effect. Lists page on it.
   */
  sequence: number;
  sku: string;
  delta: number;
  reason: string;
  onHandAfter: number;
  /** The client's idempotency key; entries recorded before keys were required may have none. */
  adjustmentId: string | undefined;
  createdAt: Date;
}

/** Whether a repeat with the same adjustment_id asks for what the first call did. */
export function isSameAdjustment(
  existing: StockAdjustment,
  request: { sku: string; delta: number },
): boolean {
  return existing.sku === request.sku && existing.delta === request.delta;
}
