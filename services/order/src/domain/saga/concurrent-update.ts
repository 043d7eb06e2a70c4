/** A save lost a race with another writer (a shipment event, a cancel); reload and redo. */
export class ConcurrentUpdateError extends Error {
  override readonly name = "ConcurrentUpdateError";
  constructor(orderId: string) {
    super(`order ${orderId} changed concurrently`);
  }
}
