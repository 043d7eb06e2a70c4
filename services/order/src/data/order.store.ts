import { type Database, recordInboxOnce } from "@orderly/kit/db";
import { validationError } from "@orderly/kit/errors";
import { sql, type Transaction } from "kysely";
import type { Order, OrderStatus } from "../domain/order.ts";
import type { Clock, IdempotencyRecord, OrderStore, Page } from "../domain/ports.ts";
import { ConcurrentUpdateError } from "../domain/saga/concurrent-update.ts";
import { newSaga, type SagaState } from "../domain/saga/saga-state.ts";
import { orderColumns, orderFromRow, sagaColumns, sagaFromRow } from "./order.mapping.ts";
import type { OrderDatabase } from "./schema.ts";

/** NOTIFY channel carrying the id of an order whose status changed, from any replica. */
export const ORDER_STATUS_CHANNEL = "order_status";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** OrderStore over Kysely: PostgreSQL in production, PGlite embedded. */
export class KyselyOrderStore implements OrderStore {
  readonly #database: Database<OrderDatabase>;
  readonly #clock: Clock;

  constructor(database: Database<OrderDatabase>, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
  }

  async createOrder(order: Order, idempotency: IdempotencyRecord, lease: { owner: string; leaseMs: number }) {
    return this.#database.transaction(async (trx) => {
      const inserted = await trx
        .insertInto("orders")
        .values({
          id: order.id,
          ...orderColumns(order),
          idempotency_key: idempotency.key,
          request_fingerprint: idempotency.fingerprint,
          created_at: order.createdAt,
          version: 0,
        })
        .onConflict((oc) => oc.column("idempotency_key").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!inserted) {
        const existing = await trx
          .selectFrom("orders")
          .selectAll()
          .where("idempotency_key", "=", idempotency.key)
          .executeTakeFirstOrThrow();
        return { order: orderFromRow(existing), created: false, fingerprint: existing.request_fingerprint };
      }
      // Born leased by the creating replica, so the worker does not race the request that drives it.
      await trx
        .insertInto("order_sagas")
        .values({
          order_id: order.id,
          ...sagaColumns(newSaga(order.id, order.createdAt)),
          lease_owner: lease.owner,
          lease_until: new Date(order.createdAt.getTime() + lease.leaseMs),
        })
        .execute();
      return { order, created: true, fingerprint: idempotency.fingerprint };
    });
  }

  async findOrder(id: string): Promise<Order | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.#database.db
      .selectFrom("orders")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? orderFromRow(row) : undefined;
  }

  async listOrders(customerId: string, pageSize: number, cursor: string | undefined): Promise<Page<Order>> {
    let query = this.#database.db
      .selectFrom("orders")
      .selectAll()
      .where("customer_id", "=", customerId)
      .orderBy("id", "desc")
      .limit(pageSize + 1);
    if (cursor !== undefined) query = query.where("id", "<", decodeCursor(cursor));
    const rows = await query.execute();
    const items = rows.slice(0, pageSize).map(orderFromRow);
    const last = items.at(-1);
    return { items, next: rows.length > pageSize && last ? encodeCursor(last.id) : undefined };
  }

  async findSaga(orderId: string): Promise<SagaState | undefined> {
    const row = await this.#database.db
      .selectFrom("order_sagas")
      .selectAll()
      .where("order_id", "=", orderId)
      .executeTakeFirst();
    return row ? sagaFromRow(row) : undefined;
  }

  async claimSaga(orderId: string, owner: string, leaseMs: number): Promise<SagaState | undefined> {
    const now = this.#clock.now();
    const row = await this.#database.db
      .updateTable("order_sagas")
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs) })
      .where("order_id", "=", orderId)
      .where("phase", "<>", "DONE")
      .where((eb) =>
        eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now), eb("lease_owner", "=", owner)]),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? sagaFromRow(row) : undefined;
  }

  async claimDueSagas(owner: string, leaseMs: number, limit: number): Promise<SagaState[]> {
    const now = this.#clock.now();
    const due = this.#database.db
      .selectFrom("order_sagas")
      .select("order_id")
      .where("phase", "<>", "DONE")
      .where("next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .orderBy("next_attempt_at")
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = await this.#database.db
      .updateTable("order_sagas")
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs) })
      .where("order_id", "in", due)
      .returningAll()
      .execute();
    return rows.map(sagaFromRow);
  }

  async save(
    order: Order,
    saga: SagaState,
    previousStatus: OrderStatus,
    lease: { owner: string; leaseMs: number; releaseLease: boolean },
  ): Promise<void> {
    await this.#database.transaction(async (trx) => {
      const updated = await trx
        .updateTable("orders")
        .set({ ...orderColumns(order), version: order.version + 1 })
        .where("id", "=", order.id)
        .where("version", "=", order.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new ConcurrentUpdateError(order.id);
      const leaseUntil = new Date(this.#clock.now().getTime() + lease.leaseMs);
      await trx
        .updateTable("order_sagas")
        .set({
          ...sagaColumns(saga),
          lease_owner: lease.releaseLease ? null : lease.owner,
          lease_until: lease.releaseLease ? null : leaseUntil,
        })
        .where("order_id", "=", order.id)
        .execute();
      if (order.status !== previousStatus) await this.#announce(trx, order.id);
    });
  }

  async requestCancel(orderId: string): Promise<boolean> {
    return this.#database.transaction(async (trx) => {
      const marked = await trx
        .updateTable("orders")
        .set((eb) => ({ cancel_requested: true, version: eb("version", "+", 1) }))
        .where("id", "=", orderId)
        .where("status", "in", ["PENDING", "CONFIRMED"])
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== 1) return false;
      await trx
        .updateTable("order_sagas")
        .set({
          phase: sql<string>`case when phase = 'DONE' then 'FORWARD' else phase end`,
          next_attempt_at: this.#clock.now(),
        })
        .where("order_id", "=", orderId)
        .execute();
      return true;
    });
  }

  async applyShipmentEvent(
    eventId: string,
    orderId: string,
    apply: (order: Order, saga: SagaState) => { order: Order; saga: SagaState },
  ): Promise<"applied" | "duplicate" | "order-not-found"> {
    if (!UUID.test(orderId)) return "order-not-found";
    try {
      return await this.#database.transaction(async (trx) => {
        const row = await trx
          .selectFrom("orders")
          .selectAll()
          .where("id", "=", orderId)
          .forUpdate()
          .executeTakeFirst();
        const sagaRow = await trx
          .selectFrom("order_sagas")
          .selectAll()
          .where("order_id", "=", orderId)
          .forUpdate()
          .executeTakeFirst();
        // Thrown to roll back the inbox record too, so a retry after the order exists still applies.
        if (!row || !sagaRow) throw new OrderMissing();
        if (!(await recordInboxOnce(trx, { id: eventId, source: "fulfillment" }))) return "duplicate";
        const before = orderFromRow(row);
        const next = apply(before, sagaFromRow(sagaRow));
        await trx
          .updateTable("orders")
          .set({ ...orderColumns(next.order), version: before.version + 1 })
          .where("id", "=", orderId)
          .execute();
        await trx
          .updateTable("order_sagas")
          .set(sagaColumns(next.saga))
          .where("order_id", "=", orderId)
          .execute();
        if (next.order.status !== before.status) await this.#announce(trx, orderId);
        return "applied";
      });
    } catch (error) {
      if (error instanceof OrderMissing) return "order-not-found";
      throw error;
    }
  }

  async countPendingSagas(): Promise<number> {
    const row = await this.#database.db
      .selectFrom("order_sagas")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("phase", "<>", "DONE")
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  watchStatusChanges(onChange: (orderId: string) => void): Promise<() => Promise<void>> {
    return this.#database.listen(ORDER_STATUS_CHANNEL, onChange);
  }

  #announce(trx: Transaction<OrderDatabase>, orderId: string): Promise<void> {
    return this.#database.notify(ORDER_STATUS_CHANNEL, orderId, trx);
  }
}

class OrderMissing extends Error {}

function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!UUID.test(id))
    throw validationError({ field: "page_token", description: "is not a token from a previous page" });
  return id;
}
