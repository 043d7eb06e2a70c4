import { type BackoffOptions, backoffDelayMs, type Clock } from "@orderly/kit/domain";
import { isCancellable, type Order, OrderStatus } from "../order.ts";
import { OrderReason } from "../order-errors.ts";
import type { InventoryPort } from "../ports/inventory.port.ts";
import type { Lease, SagaRecord, SagaRepository } from "../ports/saga.repository.port.ts";
import type { SagaObserver } from "../ports/saga-observer.port.ts";
import { type OrderPeers, orderSagaSteps } from "./order-saga.steps.ts";
import { SagaEngine } from "./saga-engine.ts";
import type { SagaScheduleClock } from "./saga-schedule-clock.ts";
import type { SagaState } from "./saga-state.ts";

export interface SagaLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface OrderSagaDeps {
  sagas: SagaRepository;
  peers: OrderPeers;
  /** The wall clock: the order's timestamps. */
  clock: Clock;
  schedule: SagaScheduleClock;
  observer: SagaObserver;
  log: SagaLog;
  /** This replica's id: saga leases name it. */
  owner: string;
  /** How long a claimed saga stays ours without progress before another replica may take it. */
  leaseMs: number;
  backoff: BackoffOptions;
}

/** How a saga run ended for the caller: the order as stored, and why it was refused outright, if it was. */
export interface SagaRun {
  order: Order;
  rejection?: { reason: string; message: string; details?: Record<string, unknown> | undefined } | undefined;
}

type Turn = { order: Order; saga: SagaState; finished: boolean; rejection?: SagaRun["rejection"] };

/** Guards against a bug looping forever; a real saga needs at most ~4 turns (forward, compensate, forward). */
const MAX_TURNS = 16;

/**
 * Drives orders through the saga table and stores each phase's result with the order in one write,
 * guarded by the order's version so a concurrent cancel or shipment event is never overwritten
 * (the loser reloads and goes on). Any replica can resume any saga once its lease lapses.
 */
export class OrderSaga {
  readonly #deps: OrderSagaDeps;
  readonly #engine: SagaEngine<Order>;
  readonly #inventory: InventoryPort;
  /** Runs in this process, so a wake-up, the worker and a request never drive one order at once. */
  readonly #running = new Map<string, Promise<SagaRun | undefined>>();

  constructor(deps: OrderSagaDeps) {
    this.#deps = deps;
    this.#inventory = deps.peers.inventory;
    this.#engine = new SagaEngine(
      orderSagaSteps(deps.peers, () => deps.clock.now()),
      deps.observer,
      (order) => order.id,
    );
  }

  /**
   * Drives one order as far as it can go now; returns the order as it then stands. When another
   * replica holds the saga, or there is nothing to do, returns undefined.
   */
  drive(orderId: string): Promise<SagaRun | undefined> {
    const running = this.#running.get(orderId);
    if (running) return running;
    return this.#exclusive(orderId, async () => {
      const record = await this.#deps.sagas.claim(orderId, this.#lease(), this.#deps.schedule.now());
      return record ? this.#run(record) : undefined;
    });
  }

  /** Drives an order this replica has just stored, born leased to it: no claim needed. */
  driveNew(record: SagaRecord): Promise<SagaRun | undefined> {
    return this.#exclusive(record.order.id, () => this.#run(record));
  }

  /** One worker tick: claims due sagas (new, retrying, orphaned by a dead replica) and runs them. */
  async runDue(limit: number): Promise<number> {
    const { sagas, schedule, log } = this.#deps;
    const claimed = await sagas.claimDue(this.#lease(), schedule.now(), limit);
    await Promise.all(
      claimed
        .filter((record) => !this.#running.has(record.order.id))
        .map((record) =>
          this.#exclusive(record.order.id, () => this.#run(record)).catch((error: unknown) =>
            log.error({ err: error, orderId: record.order.id }, "saga run failed"),
          ),
        ),
    );
    return claimed.length;
  }

  #exclusive(orderId: string, run: () => Promise<SagaRun | undefined>): Promise<SagaRun | undefined> {
    const promise = run().finally(() => this.#running.delete(orderId));
    this.#running.set(orderId, promise);
    return promise;
  }

  async #run(claimed: SagaRecord): Promise<SagaRun> {
    let record = claimed;
    for (let turn = 0; turn < MAX_TURNS; turn++) {
      const next = await this.#turn(record.order, honourCancel(record.order, record.saga));
      const saved = await this.#save(record.order, next.order, next.saga, next.finished);
      if (saved) {
        if (saved.status !== record.order.status) this.#deps.observer.orderSettled(saved.status);
        if (next.finished) return { order: saved, rejection: next.rejection };
        record = { order: saved, saga: next.saga };
        continue;
      }
      // Someone else wrote the order meanwhile (a cancel, a shipment event): start over from what
      // is stored. Steps already taken are idempotent, and undone again if the saga now compensates.
      const fresh = await this.#deps.sagas.load(record.order.id);
      if (!fresh) throw new Error(`order ${record.order.id} vanished during its saga`);
      record = fresh;
    }
    this.#deps.log.error(
      { orderId: record.order.id, phase: record.saga.phase },
      "saga exceeded its turn budget",
    );
    return { order: await this.#pauseAfter(record, "TURN_BUDGET", "saga exceeded its turn budget") };
  }

  /** One phase of the saga, pure but for the peers it calls; `finished` means release the lease. */
  async #turn(order: Order, saga: SagaState): Promise<Turn> {
    const now = this.#deps.clock.now();
    switch (saga.phase) {
      case "FORWARD": {
        if (order.status !== OrderStatus.PENDING) return { order, saga: done(saga), finished: true };
        const outcome = await this.#engine.forward(order);
        if (outcome.kind === "complete") {
          const confirmed = {
            ...outcome.subject,
            status: OrderStatus.CONFIRMED,
            statusReason: "",
            updatedAt: now,
          };
          return { order: confirmed, saga: done(saga), finished: true };
        }
        if (outcome.kind === "transient")
          return this.#pause(outcome.subject, saga, outcome.step, outcome.error);
        if (outcome.nothingHeld) {
          const rejected = {
            ...outcome.subject,
            status: OrderStatus.REJECTED,
            statusReason: outcome.reason,
            updatedAt: now,
          };
          const { reason, message, details } = outcome;
          const stored = { ...done(saga), reason, lastError: message };
          return { order: rejected, saga: stored, finished: true, rejection: { reason, message, details } };
        }
        this.#deps.log.warn({ orderId: order.id, reason: outcome.reason }, "saga step refused; compensating");
        // Stored before any undo: a resumed saga must never go forward again over a voided invoice.
        const compensating: SagaState = {
          ...saga,
          phase: "COMPENSATING",
          targetStatus: OrderStatus.FAILED,
          reason: outcome.reason,
          lastError: outcome.message,
        };
        return { order: outcome.subject, saga: compensating, finished: false };
      }
      case "COMPENSATING": {
        const outcome = await this.#engine.compensate(order, saga.reason);
        if (outcome.kind === "transient") return this.#pause(order, saga, outcome.step, outcome.error);
        if (outcome.kind === "goods-left") {
          // The parcel left before the cancel reached the warehouse: the order goes on as shipped.
          this.#deps.log.warn(
            { orderId: order.id, step: outcome.step },
            "undo refused: goods left; order continues",
          );
          const forward: SagaState = { ...saga, phase: "FORWARD", targetStatus: undefined, reason: "" };
          return {
            order: { ...order, cancelRequested: false, updatedAt: now },
            saga: forward,
            finished: false,
          };
        }
        if (outcome.needsAttention.length > 0) {
          this.#deps.log.error(
            { orderId: order.id, problems: outcome.needsAttention },
            "compensation needs attention",
          );
        }
        const status = saga.targetStatus ?? OrderStatus.FAILED;
        const ended = { ...order, status, statusReason: saga.reason, updatedAt: now };
        return {
          order: ended,
          saga: { ...done(saga), lastError: outcome.needsAttention.join("; ") },
          finished: true,
        };
      }
      case "COMMITTING": {
        try {
          const committed = await this.#inventory.commit(order.reservationId ?? "");
          if (committed === "lost") {
            this.#deps.log.error(
              { orderId: order.id },
              "shipped order's reservation was lost; stock needs attention",
            );
          }
          const lastError = committed === "lost" ? OrderReason.RESERVATION_LOST : "";
          return { order, saga: { ...done(saga), lastError }, finished: true };
        } catch (error) {
          return this.#pause(order, saga, "COMMIT_STOCK", error);
        }
      }
      case "DONE":
        return { order, saga, finished: true };
    }
  }

  #pause(order: Order, saga: SagaState, step: string, error: unknown): Turn {
    const { backoff, schedule, observer, log } = this.#deps;
    const attempts = saga.attempts + 1;
    const delayMs = backoffDelayMs(attempts, backoff);
    const message = error instanceof Error ? error.message : String(error);
    observer.retryScheduled(step);
    log.info({ orderId: order.id, step, attempts, retryInMs: delayMs, err: error }, "saga paused");
    const paused: SagaState = {
      ...saga,
      attempts,
      nextAttemptAt: new Date(schedule.now().getTime() + delayMs),
      lastError: `${step}: ${message}`,
    };
    return { order, saga: paused, finished: true };
  }

  async #pauseAfter(record: SagaRecord, step: string, message: string): Promise<Order> {
    const paused = this.#pause(record.order, record.saga, step, new Error(message));
    return (await this.#save(record.order, paused.order, paused.saga, true)) ?? record.order;
  }

  /** Writes if nobody else did since `before` was read; the stored order, or undefined on a lost race. */
  async #save(before: Order, after: Order, saga: SagaState, release: boolean): Promise<Order | undefined> {
    const lease = release ? "release" : this.#lease();
    const written = await this.#deps.sagas.save(before, after, saga, lease);
    return written ? { ...after, version: before.version + 1 } : undefined;
  }

  #lease(): Lease {
    return {
      owner: this.#deps.owner,
      until: new Date(this.#deps.schedule.now().getTime() + this.#deps.leaseMs),
    };
  }
}

function done(saga: SagaState): SagaState {
  return { ...saga, phase: "DONE", attempts: 0, lastError: "" };
}

/** A cancel request turns a running or confirmed saga into compensation, until the goods ship. */
function honourCancel(order: Order, saga: SagaState): SagaState {
  if (!order.cancelRequested || !isCancellable(order.status)) return saga;
  if (saga.phase !== "FORWARD" && saga.phase !== "DONE") return saga;
  return {
    ...saga,
    phase: "COMPENSATING",
    targetStatus: OrderStatus.CANCELLED,
    reason: OrderReason.CANCELLED_BY_CUSTOMER,
  };
}
