import { type Database, recordInboxOnce } from "@orderly/kit/db";
import type { Transaction } from "kysely";
import type { SagaRecord } from "../domain/ports/saga.repository.port.ts";
import type { InboxOutcome, ShipmentEventInbox } from "../domain/ports/shipment-event-inbox.port.ts";
import { orderColumns, orderFromRow, sagaColumns, sagaFromRow } from "./order.mapping.ts";
import type { StatusEvents } from "./order-events.outbox.ts";
import { announceStatusChange } from "./order-status.channel.ts";
import type { OrderDatabase } from "./schema.ts";

/**
 * Fulfillment's events applied once each (RecordShipmentEvent over gRPC): in a transaction of its
 * own, the inbox record and the order change commit together.
 */
export function shipmentEventInbox(
  database: Database<OrderDatabase>,
  statusEvents?: StatusEvents,
): ShipmentEventInbox {
  return {
    applyOnce: (eventId, orderId, apply) =>
      database.transaction((trx) =>
        applyToOrder(trx, orderId, apply, statusEvents, () =>
          recordInboxOnce(trx, { id: eventId, source: "fulfillment" }),
        ),
      ),
  };
}

/**
 * The same change inside a transaction someone else opened and deduplicates: the event bus's
 * consumer, which records the event in the inbox in that transaction and acks after its commit.
 */
export function shipmentEventInboxIn(
  trx: Transaction<OrderDatabase>,
  statusEvents?: StatusEvents,
): ShipmentEventInbox {
  return { applyOnce: (_eventId, orderId, apply) => applyToOrder(trx, orderId, apply, statusEvents) };
}

/**
 * Locks the order, asks `admit` (the inbox: false for an event seen before), applies `apply` and
 * writes what changed. An order that does not exist (yet) records nothing, so a later delivery applies.
 */
async function applyToOrder(
  trx: Transaction<OrderDatabase>,
  orderId: string,
  apply: (current: SagaRecord) => SagaRecord,
  statusEvents: StatusEvents | undefined,
  admit: () => Promise<boolean> = async () => true,
): Promise<InboxOutcome> {
  const row = await trx
    .selectFrom("orders")
    .selectAll()
    .where("id", "=", orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return "order-not-found";
  if (!(await admit())) return "duplicate";
  const current = { order: orderFromRow(row), saga: sagaFromRow(row) };
  const before = current.order;
  // A throw here (an event that does not fit the order) rolls the whole transaction back.
  const next = apply(current);
  if (next === current) return "applied";
  const update = trx
    .updateTable("orders")
    .set({ ...orderColumns(next.order), ...sagaColumns(next.saga), version: before.version + 1 })
    .where("id", "=", orderId);
  if (next.order.status === before.status) {
    await update.execute();
    return "applied";
  }
  await update.returning(announceStatusChange()).execute();
  await statusEvents?.(trx, next.order, before.version + 1);
  return "applied";
}
