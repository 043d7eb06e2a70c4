import { isTransient } from "@orderly/kit/errors";
import { awaitOrder } from "./await-order.ts";
import { type Order, OrderStatus } from "./order.ts";
import { idempotencyKeyReused, skusNotFound } from "./order-errors.ts";
import { type CreateOrderRequest, requestFingerprint, validateCreateOrder } from "./order-request.ts";
import type { Clock, InventoryPort, OrderStore } from "./ports.ts";
import type { OrderSaga } from "./saga/order-saga.ts";

export interface CreateOrderDeps {
  store: OrderStore;
  /** This replica's saga lease, taken at creation so the request that created the order drives it. */
  lease: { owner: string; leaseMs: number };
  inventory: InventoryPort;
  saga: OrderSaga;
  clock: Clock;
  newId: () => string;
}

/**
 * Creates the order once per idempotency key and drives its saga until `until`: the answer is
 * normally CONFIRMED or REJECTED, PENDING when a step had to be deferred (the worker resumes it).
 */
export async function createOrder(
  deps: CreateOrderDeps,
  request: CreateOrderRequest,
  idempotencyKey: string | undefined,
  until: Date,
): Promise<Order> {
  validateCreateOrder(request, idempotencyKey);
  const key = idempotencyKey as string;
  const fingerprint = requestFingerprint(request);

  // Unknown SKUs are the client's mistake: say so now, store nothing. When inventory cannot be
  // asked, accept the order; the saga rejects it later if a SKU really is unknown.
  const unknown = await deps.inventory
    .findUnknownSkus(request.lines.map((l) => l.sku))
    .catch((error: unknown) => {
      if (isTransient(error)) return [];
      throw error;
    });
  if (unknown.length > 0) throw skusNotFound(unknown);

  const now = deps.clock.now();
  const draft: Order = {
    id: deps.newId(),
    customerId: request.customerId,
    status: OrderStatus.PENDING,
    lines: request.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: undefined,
      lineTotal: undefined,
    })),
    shippingAddress: request.shippingAddress,
    totals: undefined,
    reservationId: undefined,
    invoiceId: undefined,
    shipmentId: undefined,
    statusReason: "",
    cancelRequested: false,
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  const stored = await deps.store.createOrder(draft, { key, fingerprint }, deps.lease);
  if (!stored.created) {
    if (stored.fingerprint !== fingerprint) throw idempotencyKeyReused(key);
    // The same request again: answer with the original order once its first request settles it.
    return (
      (await awaitOrder(deps.store, stored.order.id, (o) => o.status !== OrderStatus.PENDING, until)) ??
      stored.order
    );
  }
  return (await deps.saga.drive(draft.id, until)) ?? draft;
}
