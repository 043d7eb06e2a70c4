import type { Kysely } from "kysely";
import type { ShipmentListQuery, ShipmentRepository } from "../domain/ports/shipment.repository.ts";
import type { Shipment } from "../domain/shipment.entity.ts";
import type { DB } from "./schema.ts";
import { toInsertRow, toShipment } from "./shipment-row.mapper.ts";

/** Shipments in PostgreSQL/PGlite. Give it a transaction to make its writes part of a unit of work. */
export class KyselyShipmentRepository implements ShipmentRepository {
  // A Transaction<DB> is a Kysely<DB> too.
  readonly #db: Kysely<DB>;

  constructor(db: Kysely<DB>) {
    this.#db = db;
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<Shipment | null> {
    let query = this.#db.selectFrom("shipments").selectAll().where("id", "=", id);
    if (options.forUpdate === true) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row === undefined ? null : toShipment(row);
  }

  async findByOrderId(orderId: string): Promise<Shipment | null> {
    const row = await this.#db
      .selectFrom("shipments")
      .selectAll()
      .where("order_id", "=", orderId)
      .executeTakeFirst();
    return row === undefined ? null : toShipment(row);
  }

  async insertIfOrderIsNew(shipment: Shipment): Promise<boolean> {
    // On PostgreSQL a concurrent insert for the same order waits here for the other transaction:
    // if that one commits, this does nothing and the caller reads the committed row back.
    const inserted = await this.#db
      .insertInto("shipments")
      .values(toInsertRow(shipment))
      .onConflict((conflict) => conflict.column("order_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async update(shipment: Shipment): Promise<void> {
    await this.#db
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
    let select = this.#db.selectFrom("shipments").selectAll();
    if (query.orderId !== null) select = select.where("order_id", "=", query.orderId);
    if (query.status !== null) select = select.where("status", "=", query.status);
    if (query.afterId !== null) select = select.where("id", ">", query.afterId);
    const rows = await select.orderBy("id").limit(query.limit).execute();
    return rows.map(toShipment);
  }
}
