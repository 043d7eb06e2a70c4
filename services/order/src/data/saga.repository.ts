import type { Database } from "@orderly/kit/db";
import type { Order } from "../domain/order.ts";
import type { Lease, SagaRecord, SagaRepository } from "../domain/ports/saga.repository.port.ts";
import type { SagaState } from "../domain/saga/saga-state.ts";
import { orderColumns, orderFromRow, sagaColumns, sagaFromRow } from "./order.mapping.ts";
import { claimDueSagas, type SaveOrderParams, saveOrder, saveOrderAnnounced } from "./order.statements.ts";
import type { StatusEvents } from "./order-events.outbox.ts";
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
    const params: SaveOrderParams = {
      ...orderColumns(after),
      ...sagaColumns(saga),
      ...(lease === "release"
        ? { lease_owner: null, lease_until: null }
        : { lease_owner: lease.owner, lease_until: lease.until }),
      id: after.id,
      expected_version: before.version,
      version: before.version + 1,
    };
    const statusEvents = this.#statusEvents;
    if (statusEvents && after.status !== before.status) {
      return this.#database.transaction(async (trx) => {
        const { rows } = await saveOrderAnnounced.execute(trx, params);
        if (rows.length > 0) await statusEvents(trx, after, params.version);
        return rows.length > 0;
      });
    }
    // The notice rides in the same statement and is delivered on its commit: no extra round trip.
    const statement = after.status !== before.status ? saveOrderAnnounced : saveOrder;
    const { rows } = await statement.execute(this.#database.db, params);
    return rows.length > 0;
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
    const { rows } = await claimDueSagas.execute(this.#database.db, {
      lease_owner: lease.owner,
      lease_until: lease.until,
      now,
      limit,
    });
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
