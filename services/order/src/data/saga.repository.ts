import type { Database } from "@orderly/kit/db";
import type { Order } from "../domain/order.ts";
import type { Lease, SagaRecord, SagaRepository } from "../domain/ports/saga.repository.port.ts";
import type { SagaState } from "../domain/saga/saga-state.ts";
import { orderColumns, orderFromRow, sagaColumns, sagaFromRow } from "./order.mapping.ts";
import type { StatusEvents } from "./order-events.outbox.ts";
import { announceStatusChange } from "./order-status.channel.ts";
import type { OrderDatabase, OrderRow } from "./schema.ts";

/** The saga's state lives in the order row: every write here is one statement, one commit. */
export class KyselySagaRepository implements SagaRepository {
  readonly #database: Database<OrderDatabase>;
  readonly #statusEvents: StatusEvents | undefined;

  /** `statusEvents`: with an event bus, each status change also records its event (then a transaction). */
  constructor(database: Database<OrderDatabase>, statusEvents?: StatusEvents) {
    this.#database = database;
    this.#statusEvents = statusEvents;
  }

  async save(before: Order, after: Order, saga: SagaState, lease: Lease | "release"): Promise<boolean> {
    const held =
      lease === "release"
        ? { lease_owner: null, lease_until: null }
        : { lease_owner: lease.owner, lease_until: lease.until };
    const statusEvents = this.#statusEvents;
    if (statusEvents && after.status !== before.status) {
      return this.#database.transaction(async (trx) => {
        const written = await trx
          .updateTable("orders")
          .set({ ...orderColumns(after), ...sagaColumns(saga), ...held, version: before.version + 1 })
          .where("id", "=", after.id)
          .where("version", "=", before.version)
          .returning(announceStatusChange())
          .executeTakeFirst();
        if (written) await statusEvents(trx, after, before.version + 1);
        return written !== undefined;
      });
    }
    const query = this.#database.db
      .updateTable("orders")
      .set({ ...orderColumns(after), ...sagaColumns(saga), ...held, version: before.version + 1 })
      .where("id", "=", after.id)
      .where("version", "=", before.version);
    // The notice rides in the same statement and is delivered on its commit: no extra round trip.
    const written =
      after.status !== before.status
        ? await query.returning(announceStatusChange()).executeTakeFirst()
        : await query.returning("id").executeTakeFirst();
    return written !== undefined;
  }

  async load(orderId: string): Promise<SagaRecord | undefined> {
    const row = await this.#database.db
      .selectFrom("orders")
      .selectAll()
      .where("id", "=", orderId)
      .executeTakeFirst();
    return row ? record(row) : undefined;
  }

  async claim(orderId: string, lease: Lease, now: Date): Promise<SagaRecord | undefined> {
    const row = await this.#database.db
      .updateTable("orders")
      .set({ lease_owner: lease.owner, lease_until: lease.until })
      .where("id", "=", orderId)
      .where("saga_phase", "<>", "DONE")
      .where((eb) =>
        eb.or([
          eb("lease_until", "is", null),
          eb("lease_until", "<", now),
          eb("lease_owner", "=", lease.owner),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? record(row) : undefined;
  }

  async claimDue(lease: Lease, now: Date, limit: number): Promise<SagaRecord[]> {
    const { db } = this.#database;
    const due = db
      .selectFrom("orders")
      .select("id")
      .where("saga_phase", "<>", "DONE")
      .where("saga_next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
      .orderBy("saga_next_attempt_at")
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = await db
      .updateTable("orders")
      .set({ lease_owner: lease.owner, lease_until: lease.until })
      .where("id", "in", due)
      .returningAll()
      .execute();
    return rows.map(record);
  }

  async countUnfinished(): Promise<number> {
    const row = await this.#database.db
      .selectFrom("orders")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("saga_phase", "<>", "DONE")
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

function record(row: OrderRow): SagaRecord {
  return { order: orderFromRow(row), saga: sagaFromRow(row) };
}
