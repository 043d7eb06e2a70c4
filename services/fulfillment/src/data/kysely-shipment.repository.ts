import { KyselyRepository } from "@orderly/kit/db";
import type {
  InsertOutcome,
  ShipmentListQuery,
  ShipmentRepository,
} from "../domain/ports/shipment.repository.port.ts";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { ShipmentStatusChanged } from "../domain/shipment-status-changed.event.ts";
import { createShipmentStatement } from "./create-shipment.statement.ts";
import type { DB } from "./schema.ts";
import { toShipment, toShipmentColumns } from "./shipment-row.mapper.ts";
import { toPayload } from "./shipment-status-changed.payload.ts";

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
    const { rows } = await createShipmentStatement.execute(this.db, {
      ...toShipmentColumns(shipment),
      event_id: created.eventId,
      event_payload: JSON.stringify(toPayload(created)),
    });
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
