import type { Order } from "../order.ts";
import type { SagaState } from "../saga/saga-state.ts";
import type { Lease } from "./saga.repository.port.ts";

export interface IdempotencyRecord {
  key: string;
  /** A hash of what the client asked for, telling "the same request again" from "another request". */
  fingerprint: string;
}

export type InsertResult = { created: true } | { created: false; existing: Order; fingerprint: string };

/** Orders as the API reads and writes them. */
export interface OrderRepository {
  /**
   * Stores a new PENDING order with its saga, leased to the creating replica so the request that
   * created it drives it, unless the idempotency key is taken: then the order stored under it.
   */
  insert(order: Order, saga: SagaState, idempotency: IdempotencyRecord, lease: Lease): Promise<InsertResult>;
  findById(id: string): Promise<Order | undefined>;
  /** Newest first (ids are UUIDv7), after the order `afterId` when given; up to `limit` orders. */
  listByCustomer(customerId: string, limit: number, afterId: string | undefined): Promise<Order[]>;
  /**
   * Marks a PENDING or CONFIRMED order for cancellation and makes its saga due (re-opening a
   * finished one); false when the order is no longer in such a state.
   */
  requestCancel(id: string, dueNow: Date): Promise<boolean>;
  /** Deletes an order that was REJECTED for bad input, so a bad request leaves nothing behind. */
  discard(id: string): Promise<void>;
}
