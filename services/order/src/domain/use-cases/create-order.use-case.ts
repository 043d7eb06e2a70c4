import type { Clock } from "@orderly/kit/domain";
import { awaitOrder, withinDeadline } from "../await-order.ts";
import { type CreateOrderRequest, requestFingerprint, validateCreateOrder } from "../create-order-request.ts";
import { type Order, OrderStatus } from "../order.ts";
import { idempotencyKeyReused, OrderReason, skusNotFound } from "../order-errors.ts";
import type { OrderRepository } from "../ports/order.repository.port.ts";
import type { OrderChanges } from "../ports/order-changes.port.ts";
import type { Lease } from "../ports/saga.repository.port.ts";
import type { OrderSaga } from "../saga/order-saga.ts";
import type { SagaScheduleClock } from "../saga/saga-schedule-clock.ts";
import { newSaga } from "../saga/saga-state.ts";

export interface CreateOrderDeps {
  orders: OrderRepository;
  changes: OrderChanges;
  saga: OrderSaga;
  clock: Clock;
  schedule: SagaScheduleClock;
  newId: () => string;
  /** This replica's saga lease: a new order is born leased, so the request that created it drives it. */
  lease: () => Lease;
  onBackgroundError: (error: unknown, orderId: string) => void;
}

export interface CreateOrderOptions {
  /** When to answer at the latest: with the order as it then stands (PENDING if the saga is still running). */
  until: Date;
  /** Answer at once with the PENDING order; the saga runs on (HTTP `Prefer: respond-async`). */
  respondAsync: boolean;
}

/**
 * Creates the order once per idempotency key and drives its saga in this process: the answer is
 * normally CONFIRMED or REJECTED, PENDING when the caller did not want to wait or the deadline came
 * first (the saga goes on either way, and the worker resumes it after a crash).
 */
export function makeCreateOrder(deps: CreateOrderDeps) {
  return async function createOrder(
    request: CreateOrderRequest,
    idempotencyKey: string | undefined,
    options: CreateOrderOptions,
  ): Promise<Order> {
    validateCreateOrder(request, idempotencyKey);
    const key = idempotencyKey as string;
    const fingerprint = requestFingerprint(request);
    const now = deps.clock.now();
    const draft: Order = {
      id: deps.newId(),
      customerId: request.customerId,
      status: OrderStatus.PENDING,
      lines: request.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        name: undefined,
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
    const saga = newSaga(deps.schedule.now());
    const inserted = await deps.orders.insert(draft, saga, { key, fingerprint }, deps.lease());
    if (!inserted.created) {
      if (inserted.fingerprint !== fingerprint) throw idempotencyKeyReused(key);
      // The same request again: answer as the first request is answered, once its saga settles.
      if (options.respondAsync) return inserted.existing;
      const settled = (order: Order) => order.status !== OrderStatus.PENDING;
      return (await awaitOrder(deps, inserted.existing.id, settled, options.until)) ?? inserted.existing;
    }

    const running = deps.saga.driveNew({ order: draft, saga });
    if (options.respondAsync) {
      running.catch((error: unknown) => deps.onBackgroundError(error, draft.id));
      return draft;
    }
    const run = await withinDeadline(running, options.until);
    if (!run) {
      running.catch((error: unknown) => deps.onBackgroundError(error, draft.id));
      return (await deps.orders.findById(draft.id)) ?? draft;
    }
    if (run.rejection?.reason === OrderReason.SKU_NOT_FOUND) {
      // The client named a SKU nobody sells: a bad request, so it leaves nothing behind.
      await deps.orders.discard(draft.id);
      const skus = run.rejection.details?.skus;
      throw skusNotFound(Array.isArray(skus) ? skus.map(String) : request.lines.map((l) => l.sku));
    }
    return run.order;
  };
}
