import type { Money } from "./money.ts";
import type { Address, Order, OrderLine, OrderStatus, OrderTotals } from "./order.ts";
import type { OrderLineRequest } from "./order-request.ts";
import type { SagaState } from "./saga/saga-state.ts";

/** Inventory as the order service needs it. Errors are AppErrors carrying inventory's reasons. */
export interface InventoryPort {
  /** SKUs inventory does not know; throws a transient AppError when inventory cannot be asked. */
  findUnknownSkus(skus: readonly string[]): Promise<string[]>;
  reserve(
    reservationId: string,
    lines: readonly OrderLineRequest[],
  ): Promise<{ sku: string; quantity: number; unitPrice: Money }[]>;
  /** Idempotent; an unknown reservation counts as released. */
  release(reservationId: string): Promise<void>;
  /** Idempotent: the goods left the warehouse. */
  commit(reservationId: string): Promise<void>;
}

export interface InvoicePort {
  issue(input: {
    orderId: string;
    customer: { id: string; name: string; address: Address };
    currency: string;
    lines: { sku: string; description: string; quantity: number; unitPrice: Money }[];
  }): Promise<{ invoiceId: string; totals: OrderTotals }>;
  /** Voids every live invoice of the order; idempotent, none is fine. */
  voidForOrder(orderId: string, reason: string): Promise<void>;
}

export interface FulfillmentPort {
  createShipment(input: {
    orderId: string;
    lines: readonly OrderLineRequest[];
    address: Address;
  }): Promise<{ shipmentId: string }>;
  /** Cancels the order's shipment if there is one; idempotent. Throws when it already shipped. */
  cancelForOrder(orderId: string, reason: string): Promise<void>;
}

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; undefined on the last page. */
  next: string | undefined;
}

/** The order database: orders, their sagas, and processed shipment events. */
export interface OrderStore {
  /**
   * Stores a new PENDING order with its saga, unless the idempotency key is taken: then returns
   * the order stored under it and the fingerprint it was created with.
   */
  createOrder(
    order: Order,
    idempotency: IdempotencyRecord,
    lease: { owner: string; leaseMs: number },
  ): Promise<{ order: Order; created: boolean; fingerprint: string }>;
  findOrder(id: string): Promise<Order | undefined>;
  listOrders(customerId: string, pageSize: number, cursor: string | undefined): Promise<Page<Order>>;
  findSaga(orderId: string): Promise<SagaState | undefined>;
  /** Takes the saga's lease if free, expired or already ours; undefined when another replica holds it or it is done. */
  claimSaga(orderId: string, owner: string, leaseMs: number): Promise<SagaState | undefined>;
  /** Claims up to `limit` sagas that are due and not leased by a live replica. */
  claimDueSagas(owner: string, leaseMs: number, limit: number): Promise<SagaState[]>;
  /**
   * Writes the order and its saga in one transaction, if the order is still at `order.version`
   * (else throws ConcurrentUpdateError), renewing or releasing `owner`'s lease; announces a status
   * change to watchers. The version check keeps a concurrent cancel or shipment event from being lost.
   */
  save(
    order: Order,
    saga: SagaState,
    previousStatus: OrderStatus,
    lease: { owner: string; leaseMs: number; releaseLease: boolean },
  ): Promise<void>;
  /**
   * Marks a PENDING or CONFIRMED order for cancellation and wakes its saga (re-opening a finished
   * one); false when the order is no longer in such a state.
   */
  requestCancel(orderId: string): Promise<boolean>;
  /**
   * Applies a shipment event once: returns false when its id was seen before. `apply` runs inside
   * the transaction with the current order and saga and returns what to write.
   */
  applyShipmentEvent(
    eventId: string,
    orderId: string,
    apply: (order: Order, saga: SagaState) => { order: Order; saga: SagaState },
  ): Promise<"applied" | "duplicate" | "order-not-found">;
  countPendingSagas(): Promise<number>;
  /** Calls `onChange(orderId)` when any replica changes an order's status. */
  watchStatusChanges(onChange: (orderId: string) => void): Promise<() => Promise<void>>;
}

export interface Clock {
  now(): Date;
}

export type { OrderLine };
