import { KyselyRepository } from "@orderly/kit/db";
import { isUuid } from "@orderly/kit/domain";
import type { Order } from "../domain/order.ts";
import type {
  IdempotencyRecord,
  InsertResult,
  OrderRepository,
} from "../domain/ports/order.repository.port.ts";
import type { Lease } from "../domain/ports/saga.repository.port.ts";
import type { SagaState } from "../domain/saga/saga-state.ts";
import { orderColumns, orderFromRow, sagaColumns } from "./order.mapping.ts";
import { insertOrder } from "./order.statements.ts";
import type { OrderDatabase } from "./schema.ts";

/** Orders over Kysely: PostgreSQL in production, PGlite embedded. One statement per call. */
export class KyselyOrderRepository extends KyselyRepository<OrderDatabase> implements OrderRepository {
  async insert(
    order: Order,
    saga: SagaState,
    idempotency: IdempotencyRecord,
    lease: Lease,
  ): Promise<InsertResult> {
    const { db } = this;
    const { rows } = await insertOrder.execute(db, {
      ...orderColumns(order),
      ...sagaColumns(saga),
      lease_owner: lease.owner,
      lease_until: lease.until,
      id: order.id,
      idempotency_key: idempotency.key,
      request_fingerprint: idempotency.fingerprint,
      created_at: order.createdAt,
      version: order.version,
    });
    if (rows.length > 0) return { created: true };
    // Only a repeated key gets here, so the second statement is off the hot path.
    const existing = await db
      .selectFrom("orders")
      .selectAll()
      .where("idempotency_key", "=", idempotency.key)
      .executeTakeFirstOrThrow();
    return { created: false, existing: orderFromRow(existing), fingerprint: existing.request_fingerprint };
  }

  async findById(id: string): Promise<Order | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? orderFromRow(row) : undefined;
  }

  async listByCustomer(customerId: string, limit: number, afterId: string | undefined): Promise<Order[]> {
    let query = this.db
      .selectFrom("orders")
      .selectAll()
      .where("customer_id", "=", customerId)
      .orderBy("id", "desc")
      .limit(limit);
    if (afterId !== undefined) query = query.where("id", "<", afterId);
    return (await query.execute()).map(orderFromRow);
  }

  async requestCancel(id: string, dueNow: Date): Promise<boolean> {
    const marked = await this.db
      .updateTable("orders")
      .set((eb) => ({
        cancel_requested: true,
        version: eb("version", "+", 1),
        // Re-opens a finished saga (a CONFIRMED order) so the worker or this request compensates it.
        saga_phase: eb
          .case()
          .when("saga_phase", "=", "DONE")
          .then("FORWARD")
          .else(eb.ref("saga_phase"))
          .end(),
        saga_next_attempt_at: dueNow,
      }))
      .where("id", "=", id)
      .where("status", "in", ["PENDING", "CONFIRMED"])
      .executeTakeFirst();
    return Number(marked.numUpdatedRows) === 1;
  }

  async discard(id: string): Promise<void> {
    await this.db.deleteFrom("orders").where("id", "=", id).where("status", "=", "REJECTED").execute();
  }
}
