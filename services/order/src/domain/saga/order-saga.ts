import { type AppError, failedPrecondition, isTransient, toAppError } from "@orderly/kit/errors";
import { multiply } from "../money.ts";
import { type Order, OrderStatus } from "../order.ts";
import type { Clock, FulfillmentPort, InventoryPort, InvoicePort, OrderStore } from "../ports.ts";
import { ConcurrentUpdateError } from "./concurrent-update.ts";
import type { SagaObserver } from "./saga-observer.ts";
import { reservationIdOf, type SagaState } from "./saga-state.ts";
import { cancellable, nextStep, type SagaStep } from "./saga-step.ts";

export interface SagaLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface OrderSagaDeps {
  store: OrderStore;
  inventory: InventoryPort;
  invoice: InvoicePort;
  fulfillment: FulfillmentPort;
  clock: Clock;
  observer: SagaObserver;
  log: SagaLog;
  /** This replica's id: saga leases name it. */
  owner: string;
  /** How long a claimed saga stays ours without progress before another replica may take it. */
  leaseMs: number;
  backoff: { initialMs: number; maxMs: number };
}

type Progress = { order: Order; saga: SagaState };

/** Guards against a bug looping forever; a real saga needs at most ~8 steps. */
const MAX_STEPS_PER_RUN = 32;

/**
 * The durable order saga: reserve stock, issue the invoice, create the shipment, confirm; undo in
 * reverse on a permanent failure or a cancel. Every step is idempotent on a key derived from the
 * order id, and progress is saved after each step, so any replica can resume after a crash.
 */
export class OrderSaga {
  readonly #deps: OrderSagaDeps;
  /** Runs in this process, so a wake-up, the worker and a request never drive one order at once. */
  readonly #running = new Map<string, Promise<Order | undefined>>();

  constructor(deps: OrderSagaDeps) {
    this.#deps = deps;
  }

  /**
   * Drives one order as far as it can go before `until`; returns the order as it then stands. When
   * another replica holds the saga, returns the stored order untouched.
   */
  async drive(orderId: string, until?: Date): Promise<Order | undefined> {
    const running = this.#running.get(orderId);
    if (running) return running;
    const { store, owner, leaseMs } = this.#deps;
    return this.#exclusive(orderId, async () => {
      const saga = await store.claimSaga(orderId, owner, leaseMs);
      if (!saga) return store.findOrder(orderId);
      return this.#run(saga, until);
    });
  }

  /** One worker tick: claims due sagas (new, retrying, orphaned by a dead replica) and runs them. */
  async runDue(limit: number): Promise<number> {
    const { store, owner, leaseMs, log } = this.#deps;
    const sagas = await store.claimDueSagas(owner, leaseMs, limit);
    await Promise.all(
      sagas
        .filter((saga) => !this.#running.has(saga.orderId))
        .map((saga) =>
          this.#exclusive(saga.orderId, () => this.#run(saga)).catch((error: unknown) =>
            log.error({ err: error, orderId: saga.orderId }, "saga run failed"),
          ),
        ),
    );
    return sagas.length;
  }

  async #exclusive(orderId: string, run: () => Promise<Order | undefined>): Promise<Order | undefined> {
    const promise = run().finally(() => this.#running.delete(orderId));
    this.#running.set(orderId, promise);
    return promise;
  }

  async #run(claimed: SagaState, until?: Date): Promise<Order | undefined> {
    const { store } = this.#deps;
    let saga = claimed;
    let order = await store.findOrder(claimed.orderId);
    if (!order) return undefined;
    for (let i = 0; i < MAX_STEPS_PER_RUN; i++) {
      saga = honourCancel(order, saga);
      const step = nextStep(order, saga);
      if (!step) return this.#settle(order, saga);
      if (until && this.#deps.clock.now() >= until) {
        // Out of request time: hand the saga to the worker right away, nothing failed.
        await this.#save(order, order, { ...saga, nextAttemptAt: this.#deps.clock.now() }, true);
        return order;
      }
      const started = performance.now();
      try {
        const next = await this.#execute(step, order, saga);
        this.#deps.observer.stepFinished(step, "ok", (performance.now() - started) / 1000);
        const savedSaga: SagaState = { ...next.saga, attempts: 0, attemptedStep: undefined, lastError: "" };
        order = await this.#save(order, next.order, savedSaga, false);
        saga = savedSaga;
      } catch (error) {
        if (error instanceof ConcurrentUpdateError) {
          ({ order, saga } = await this.#reload(order.id, saga, step));
          continue;
        }
        if (isTransient(error)) {
          this.#deps.observer.stepFinished(step, "transient", (performance.now() - started) / 1000);
          return this.#pause(order, saga, step, toAppError(error));
        }
        this.#deps.observer.stepFinished(step, "permanent", (performance.now() - started) / 1000);
        const next = this.#onPermanentFailure(step, toAppError(error), order, saga);
        try {
          order = await this.#save(order, next.order, next.saga, false);
          saga = next.saga;
        } catch (saveError) {
          if (!(saveError instanceof ConcurrentUpdateError)) throw saveError;
          ({ order, saga } = await this.#reload(order.id, saga, step));
        }
      }
    }
    this.#deps.log.error(
      { orderId: order.id, phase: saga.phase },
      "saga exceeded its step budget; parked for retry",
    );
    return this.#pause(order, saga, undefined, undefined);
  }

  async #execute(step: SagaStep, order: Order, saga: SagaState): Promise<Progress> {
    const { inventory, invoice, fulfillment, clock, observer } = this.#deps;
    const reservationId = reservationIdOf(order.id);
    const now = clock.now();
    switch (step) {
      case "RESERVE": {
        const reserved = await inventory.reserve(
          reservationId,
          order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        );
        const prices = new Map(reserved.map((r) => [r.sku, r.unitPrice]));
        const lines = order.lines.map((line) => {
          const unitPrice = prices.get(line.sku);
          return {
            ...line,
            unitPrice,
            lineTotal: unitPrice ? multiply(unitPrice, line.quantity) : undefined,
          };
        });
        return { order: { ...order, lines, reservationId, updatedAt: now }, saga };
      }
      case "INVOICE": {
        const currencies = new Set(order.lines.map((l) => l.unitPrice?.currency));
        const currency = order.lines[0]?.unitPrice?.currency;
        if (currencies.size !== 1 || !currency) throw mixedCurrencies();
        const issued = await invoice.issue({
          orderId: order.id,
          customer: {
            id: order.customerId,
            name: order.shippingAddress.name,
            address: order.shippingAddress,
          },
          currency,
          lines: order.lines.map((l) => ({
            sku: l.sku,
            description: l.sku,
            quantity: l.quantity,
            unitPrice: l.unitPrice ?? { currency, amountMinor: 0 },
          })),
        });
        return {
          order: { ...order, invoiceId: issued.invoiceId, totals: issued.totals, updatedAt: now },
          saga,
        };
      }
      case "SHIP": {
        const { shipmentId } = await fulfillment.createShipment({
          orderId: order.id,
          lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          address: order.shippingAddress,
        });
        return { order: { ...order, shipmentId, updatedAt: now }, saga };
      }
      case "CANCEL_SHIPMENT":
        await fulfillment.cancelForOrder(order.id, saga.reason);
        observer.compensated(step);
        return { order, saga: { ...saga, shipmentCancelled: true } };
      case "VOID_INVOICE":
        await invoice.voidForOrder(order.id, saga.reason);
        observer.compensated(step);
        return { order, saga: { ...saga, invoiceVoided: true } };
      case "RELEASE_STOCK":
        await inventory.release(reservationId);
        observer.compensated(step);
        return { order, saga: { ...saga, reservationReleased: true } };
      case "COMMIT_STOCK":
        await inventory.commit(reservationId);
        return { order, saga: { ...saga, phase: "DONE" } };
    }
  }

  #onPermanentFailure(step: SagaStep, error: AppError, order: Order, saga: SagaState): Progress {
    const { log, clock } = this.#deps;
    const now = clock.now();
    if (step === "RESERVE" && (error.reason === "INSUFFICIENT_STOCK" || error.reason === "ITEM_NOT_FOUND")) {
      // All-or-nothing reservation: nothing was held, so nothing to undo.
      const reason = error.reason === "ITEM_NOT_FOUND" ? "SKU_NOT_FOUND" : error.reason;
      return {
        order: { ...order, status: OrderStatus.REJECTED, statusReason: reason, updatedAt: now },
        saga: { ...saga, phase: "DONE", reason, lastError: error.message },
      };
    }
    if (step === "RESERVE" || step === "INVOICE" || step === "SHIP") {
      log.warn(
        { orderId: order.id, step, reason: error.reason, err: error },
        "saga step failed permanently; compensating",
      );
      return {
        order,
        saga: {
          ...saga,
          phase: "COMPENSATING",
          targetStatus: OrderStatus.FAILED,
          reason: error.reason,
          attemptedStep: step,
          lastError: error.message,
        },
      };
    }
    if (step === "CANCEL_SHIPMENT" && saga.targetStatus === OrderStatus.CANCELLED) {
      // The parcel left before the cancel reached the warehouse: the order goes on as shipped.
      log.warn({ orderId: order.id, reason: error.reason }, "cancel refused by fulfillment; order continues");
      return {
        order: { ...order, cancelRequested: false, updatedAt: now },
        saga: { ...saga, phase: "DONE", targetStatus: undefined, reason: "", lastError: error.message },
      };
    }
    // A compensation or commit that can never succeed (invoice already paid, reservation expired):
    // record it loudly and move on, so the saga ends instead of retrying forever.
    log.error(
      { orderId: order.id, step, reason: error.reason, err: error },
      "saga step cannot complete; needs attention",
    );
    const saga2: SagaState = { ...saga, lastError: `${step}: ${error.message}` };
    if (step === "CANCEL_SHIPMENT") return { order, saga: { ...saga2, shipmentCancelled: true } };
    if (step === "VOID_INVOICE") return { order, saga: { ...saga2, invoiceVoided: true } };
    if (step === "RELEASE_STOCK") return { order, saga: { ...saga2, reservationReleased: true } };
    return { order, saga: { ...saga2, phase: "DONE" } };
  }

  async #settle(order: Order, saga: SagaState): Promise<Order> {
    const now = this.#deps.clock.now();
    let settled = order;
    if (saga.phase === "FORWARD" && order.status === OrderStatus.PENDING) {
      settled = { ...order, status: OrderStatus.CONFIRMED, statusReason: "", updatedAt: now };
    } else if (saga.phase === "COMPENSATING") {
      const status = saga.targetStatus ?? OrderStatus.FAILED;
      settled = { ...order, status, statusReason: saga.reason, updatedAt: now };
    }
    const done: SagaState = { ...saga, phase: "DONE", attempts: 0, attemptedStep: undefined };
    try {
      const saved = await this.#save(order, settled, done, true);
      if (saved.status !== order.status) this.#deps.observer.orderSettled(saved.status);
      return saved;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      const fresh = await this.#reload(order.id, saga, undefined);
      return (await this.#run(fresh.saga)) ?? fresh.order;
    }
  }

  async #pause(
    order: Order,
    saga: SagaState,
    step: SagaStep | undefined,
    error: AppError | undefined,
  ): Promise<Order> {
    const { backoff, clock, observer, log } = this.#deps;
    const attempts = saga.attempts + 1;
    const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempts - 1, 20));
    const jittered = delay / 2 + Math.random() * (delay / 2);
    if (step) observer.retryScheduled(step);
    log.info(
      { orderId: order.id, step, attempts, retryInMs: Math.round(jittered), reason: error?.reason },
      "saga paused",
    );
    const paused: SagaState = {
      ...saga,
      attempts,
      attemptedStep: step ?? saga.attemptedStep,
      nextAttemptAt: new Date(clock.now().getTime() + jittered),
      lastError: error ? `${error.reason}: ${error.message}` : saga.lastError,
    };
    try {
      return await this.#save(order, order, paused, true);
    } catch (saveError) {
      if (saveError instanceof ConcurrentUpdateError)
        return (await this.#deps.store.findOrder(order.id)) ?? order;
      throw saveError;
    }
  }

  async #save(before: Order, after: Order, saga: SagaState, releaseLease: boolean): Promise<Order> {
    const { owner, leaseMs } = this.#deps;
    await this.#deps.store.save(after, saga, before.status, { owner, leaseMs, releaseLease });
    return { ...after, version: after.version + 1 };
  }

  /** After losing a race: fresh order and saga, remembering that `step` may have taken effect. */
  async #reload(orderId: string, stale: SagaState, step: SagaStep | undefined): Promise<Progress> {
    const [order, saga] = await Promise.all([
      this.#deps.store.findOrder(orderId),
      this.#deps.store.findSaga(orderId),
    ]);
    if (!order || !saga) throw new Error(`order ${orderId} vanished during its saga`);
    return { order, saga: { ...saga, attemptedStep: step ?? stale.attemptedStep ?? saga.attemptedStep } };
  }
}

/** A cancel request turns a running or confirmed saga into compensation, until the goods ship. */
function honourCancel(order: Order, saga: SagaState): SagaState {
  if (!order.cancelRequested || !cancellable(order.status)) return saga;
  if (saga.phase !== "FORWARD" && saga.phase !== "DONE") return saga;
  return {
    ...saga,
    phase: "COMPENSATING",
    targetStatus: OrderStatus.CANCELLED,
    reason: "CANCELLED_BY_CUSTOMER",
  };
}

function mixedCurrencies(): AppError {
  return failedPrecondition(
    "MIXED_CURRENCIES",
    "order lines are priced in different currencies; one invoice needs one",
  );
}
