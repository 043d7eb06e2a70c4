import { ADDRESS_COLUMN_NAMES, columnValues, OUTBOX_CHANNEL, precompile } from "@orderly/kit/db";
import { type Kysely, sql } from "kysely";
import type { DB, ShipmentsTable } from "./schema.ts";
import type { ShipmentRow } from "./shipment-row.mapper.ts";
import { SHIPMENT_STATUS_CHANGED_TOPIC } from "./shipment-status-changed.payload.ts";

/** A shipment row as written: `lines` as JSON text, cast to jsonb in SQL. */
export type ShipmentColumns = { [K in keyof ShipmentsTable]: K extends "lines" ? string : ShipmentsTable[K] };

const SHIPMENT_COLUMNS: Record<keyof ShipmentColumns, true> = {
  id: true,
  order_id: true,
  customer_id: true,
  status: true,
  lines: true,
  ...ADDRESS_COLUMN_NAMES,
  carrier: true,
  tracking_number: true,
  cancel_reason: true,
  created_at: true,
  updated_at: true,
};

export interface CreateShipmentParams extends ShipmentColumns {
  /** The ShipmentStatusChanged event's id (the outbox id) and its payload as JSON text. */
  event_id: string;
  event_payload: string;
}

/**
 * The shipment, its outbox event (written only if the shipment was) and the relay's wake-up, or, for
 * a repeat, the existing shipment: one statement, so one round trip and no transaction. The event
 * row follows the kit's kit_outbox as enqueueOutbox writes it (keyed by shipment, the event id as
 * outbox id), which cannot be composed into a statement. A SELECT CTE runs only when referenced,
 * hence the count of `notified`; every sub-statement sees the statement's snapshot, so the shipment
 * inserted here is never in `existing`. Compiled once (kit precompile).
 */
/** The columns named, not `existing.*`: a prepared statement's result must not change when a column is added. */
const existingColumns = sql.join(
  Object.keys(SHIPMENT_COLUMNS).map((column) => sql.ref(`existing.${column}`)),
);

export const createShipmentStatement = precompile((db: Kysely<DB>, p: CreateShipmentParams) => {
  const insertShipment = db
    .insertInto("shipments")
    .values({
      ...columnValues<ShipmentColumns>(p, SHIPMENT_COLUMNS),
      // Sent as text and cast in SQL: pg would turn a JS array into a PostgreSQL array, and PGlite
      // would JSON-encode a string parameter a second time.
      lines: sql<string>`cast(${p.lines}::text as jsonb)`,
    })
    .onConflict((conflict) => conflict.column("order_id").doNothing())
    .returning("id");
  return sql<ShipmentRow & { inserted: number }>`
    with inserted as (${insertShipment}),
    queued as (
      insert into kit_outbox (id, topic, key, payload)
      select cast(${p.event_id} as uuid), ${SHIPMENT_STATUS_CHANGED_TOPIC}, ${p.id},
        cast(${p.event_payload}::text as jsonb)
      from inserted
      returning id
    ),
    notified as (select pg_notify(${OUTBOX_CHANNEL}, '') from queued)
    select cast((select count(*) from notified) as integer) as inserted, ${existingColumns}
    from (select 1) as always
    left join shipments as existing on existing.order_id = ${p.order_id}
  `;
});
