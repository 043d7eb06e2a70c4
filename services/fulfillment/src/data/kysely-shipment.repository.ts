import { KyselyRepository, OUTBOX_CHANNEL } from "@orderly/kit/db";
import { sql } from "kysely";
import type {
  InsertOutcome,
  ShipmentListQuery,
  ShipmentRepository,
} from "../domain/ports/shipment.repository.port.ts";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { ShipmentStatusChanged } from "../domain/shipment-status-changed.event.ts";
import type { DB } from "./schema.ts";
import { type ShipmentRow, toInsertRow, toShipment } from "./shipment-row.mapper.ts";
import { SHIPMENT_STATUS_CHANGED_TOPIC, toPayload } from "./shipment-status-changed.payload.ts";

/** Shipments in PostgreSQL/PGlite. Give it a transaction to make its writes part of a unit of work. */
export class KyselyShipmentRepository extends KyselyRepository<DB> implements ShipmentRepository {
  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<Shipment | null> {
    let query = this.db.selectFrom("shipments").selectAll().where("id", "=", id);
    if (options.forUpdate === true) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row === undefined ? null : toShipment(row);
  }

  async findByOrderId(orderId: string, options: { forUpdate?: boolean } = {}): Promise<Shipment | null> {
    let query = this.db.selectFrom("shipments").selectAll().where("order_id", "=", orderId);
    if (options.forUpdate === true) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row === undefined ? null : toShipment(row);
  }

  async insertIfOrderIsNew(shipment: Shipment, created: ShipmentStatusChanged): Promise<InsertOutcome> {
    const insertShipment = this.db
      .insertInto("shipments")
      .values(toInsertRow(shipment))
      .onConflict((conflict) => conflict.column("order_id").doNothing())
      .returning("id");
    // One statement, so one round trip and no transaction: the shipment, its outbox event (written
    // only if the shipment was) and the relay's wake-up, or, for a repeat, the existing shipment.
    // The event row follows the kit's kit_outbox as enqueueOutbox writes it (keyed by shipment, the
    // event id as outbox id), which cannot be composed into a statement. A SELECT CTE runs only when
    // referenced, hence the count of `notified`; every sub-statement sees the statement's snapshot,
    // so the shipment inserted here is never in `existing`.
    const { rows } = await sql<ShipmentRow & { inserted: number }>`
      with inserted as (${insertShipment}),
      queued as (
        insert into kit_outbox (id, topic, key, payload)
        select cast(${created.eventId} as uuid), ${SHIPMENT_STATUS_CHANGED_TOPIC}, ${shipment.id},
          cast(${JSON.stringify(toPayload(created))}::text as jsonb)
        from inserted
        returning id
      ),
      notified as (select pg_notify(${OUTBOX_CHANNEL}, '') from queued)
      select cast((select count(*) from notified) as integer) as inserted, existing.*
      from (select 1) as always
      left join shipments as existing on existing.order_id = ${shipment.orderId}
    `.execute(this.db);
    const row = rows[0];
    if (row !== undefined && row.inserted > 0) return { inserted: true };
    if (row !== undefined && row.id !== null) return { inserted: false, existing: toShipment(row) };
    // A concurrent create for this order committed while this one waited on the unique order id,
    // after this statement's snapshot was taken: read it with a fresh one.
    const existing = await this.findByOrderId(shipment.orderId);
    if (existing === null)
      throw new Error(`shipment for order ${shipment.orderId} vanished after a conflict`);
    return { inserted: false, existing };
  }

  async update(shipment: Shipment): Promise<void> {
    await this.db
      .updateTable("shipments")
      .set({
        status: shipment.status,
        carrier: shipment.carrier,
        tracking_number: shipment.trackingNumber,
        cancel_reason: shipment.cancelReason,
        updated_at: shipment.updatedAt,
      })
      .where("id", "=", shipment.id)
      .execute();
  }

  async list(query: ShipmentListQuery): Promise<Shipment[]> {
    let select = this.db.selectFrom("shipments").selectAll();
    if (query.orderId !== null) select = select.where("order_id", "=", query.orderId);
    if (query.customerId !== null) select = select.where("customer_id", "=", query.customerId);
    if (query.status !== null) select = select.where("status", "=", query.status);
    if (query.afterId !== null) select = select.where("id", ">", query.afterId);
    const rows = await select.orderBy("id").limit(query.limit).execute();
    return rows.map(toShipment);
  }
}
