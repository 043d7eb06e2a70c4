import type { Order } from "../order.ts";
import type { SagaState } from "../saga/saga-state.ts";

/** A replica's hold on a saga: another replica may take it over once `until` passes. */
export interface Lease {
  owner: string;
  until: Date;
}

export interface SagaRecord {
  order: Order;
  saga: SagaState;
}

/** The saga's persistence and its work queue: leases on unfinished sagas, shared by every replica. */
export interface SagaRepository {
  /**
   * Writes `after` and its saga in one statement if the stored order is still `before` (same
   * version), holding or releasing the lease, and tells watchers when the status changed; false
   * when another writer (a cancel, a shipment event) got there first.
   */
  save(before: Order, after: Order, saga: SagaState, lease: Lease | "release"): Promise<boolean>;
  load(orderId: string): Promise<SagaRecord | undefined>;
  /** Takes the lease of an unfinished saga if it is free, expired or already `lease.owner`'s. */
  claim(orderId: string, lease: Lease, now: Date): Promise<SagaRecord | undefined>;
  /** Claims up to `limit` unfinished sagas that are due and not leased by a live replica. */
  claimDue(lease: Lease, now: Date, limit: number): Promise<SagaRecord[]>;
  countUnfinished(): Promise<number>;
}
