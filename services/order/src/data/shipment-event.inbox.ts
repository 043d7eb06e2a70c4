import { type Database, recordInboxOnce } from "@orderly/kit/db";
import type { SagaRecord } from "../domain/ports/saga.repository.port.ts";
import type { InboxOutcome, ShipmentEventInbox } from "../domain/ports/shipment-event-inbox.port.ts";
import { orderColumns, orderFromRow, sagaColumns, sagaFromRow } from "./order.mapping.ts";
import { announceStatusChange } from "./order-status.channel.ts";
import type { OrderDatabase } from "./schema.ts";

/** Fulfillment's events applied once each: the inbox record and the order change commit together. */
export class KyselyShipmentEventInbox implements ShipmentEventInbox {
  readonly #database: Database<OrderDatabase>;

  constructor(database: Database<OrderDatabase>) {
    this.#database = database;
  }

  async applyOnce(
    eventId: string,
    orderId: string,
    apply: (current: SagaRecord) => SagaRecord,
  ): Promise<InboxOutcome> {
    return this.#database.transaction(async (trx) => {
      const row = await trx
        .selectFrom("orders")
        .selectAll()
        .where("id", "=", orderId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return "order-not-found";
      if (!(await recordInboxOnce(trx, { id: eventId, source: "fulfillment" }))) return "duplicate";
      const current = { order: orderFromRow(row), saga: sagaFromRow(row) };
      const before = current.order;
      // A throw here (an event that does not fit the order) rolls the inbox record back too.
      const next = apply(current);
      if (next === current) return "applied";
      const update = trx
        .updateTable("orders")
        .set({ ...orderColumns(next.order), ...sagaColumns(next.saga), version: before.version + 1 })
        .where("id", "=", orderId);
      if (next.order.status !== before.status) await update.returning(announceStatusChange()).execute();
      else await update.execute();
      return "applied";
    });
  }
}
