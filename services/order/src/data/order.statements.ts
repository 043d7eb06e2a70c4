import { columnValues, precompile } from "@orderly/kit/db";
import type { Kysely } from "kysely";
import type { orderColumns, sagaColumns } from "./order.mapping.ts";
import { announceStatusChange } from "./order-status.channel.ts";
import type { OrderDatabase, OrdersTable } from "./schema.ts";

/** Every column an order write sets besides identity, idempotency and version. */
export type WrittenColumns = ReturnType<typeof orderColumns> &
  ReturnType<typeof sagaColumns> & { lease_owner: string | null; lease_until: Date | null };

const WRITTEN: Record<keyof WrittenColumns, true> = {
  customer_id: true,
  status: true,
  lines: true,
  shipping_address: true,
  currency: true,
  subtotal_minor: true,
  tax_minor: true,
  total_minor: true,
  reservation_id: true,
  invoice_id: true,
  shipment_id: true,
  status_reason: true,
  cancel_requested: true,
  updated_at: true,
  saga_phase: true,
  saga_target_status: true,
  saga_reason: true,
  saga_attempts: true,
  saga_next_attempt_at: true,
  saga_last_error: true,
  lease_owner: true,
  lease_until: true,
};

/**
 * Every column of an order row, named: what statements return instead of `*`, so a prepared
 * statement's result keeps its shape when a migration adds a column (PostgreSQL refuses to run a
 * prepared statement whose result type changed: "cached plan must not change result type").
 */
const ROW_COLUMNS = Object.keys({
  ...WRITTEN,
  id: true,
  idempotency_key: true,
  request_fingerprint: true,
  created_at: true,
  version: true,
} satisfies Record<keyof OrdersTable, true>) as (keyof OrdersTable)[];

function written(params: WrittenColumns): WrittenColumns {
  return columnValues<WrittenColumns>(params, WRITTEN);
}

export interface InsertOrderParams extends WrittenColumns {
  id: string;
  idempotency_key: string;
  request_fingerprint: string;
  created_at: Date;
  version: number;
}

/** A new order, or nothing when its idempotency key is taken. */
export const insertOrder = precompile((db: Kysely<OrderDatabase>, p: InsertOrderParams) =>
  db
    .insertInto("orders")
    .values({
      ...written(p),
      id: p.id,
      idempotency_key: p.idempotency_key,
      request_fingerprint: p.request_fingerprint,
      created_at: p.created_at,
      version: p.version,
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id"),
);

export interface SaveOrderParams extends WrittenColumns {
  id: string;
  /** The version read; the write applies only if nobody wrote since. */
  expected_version: number;
  version: number;
}

function saveQuery(db: Kysely<OrderDatabase>, p: SaveOrderParams) {
  return db
    .updateTable("orders")
    .set({ ...written(p), version: p.version })
    .where("id", "=", p.id)
    .where("version", "=", p.expected_version);
}

/** The order and its saga state, if still at the version read. */
export const saveOrder = precompile((db: Kysely<OrderDatabase>, p: SaveOrderParams) =>
  saveQuery(db, p).returning("id"),
);

/** saveOrder for a status change: the change notice rides in the statement, sent on its commit. */
export const saveOrderAnnounced = precompile((db: Kysely<OrderDatabase>, p: SaveOrderParams) =>
  saveQuery(db, p).returning(announceStatusChange()),
);

export interface ClaimDueParams {
  lease_owner: string;
  lease_until: Date;
  now: Date;
  limit: number;
}

/** Leases up to `limit` unfinished sagas that are due and not leased by a live replica. */
export const claimDueSagas = precompile((db: Kysely<OrderDatabase>, p: ClaimDueParams) => {
  const due = db
    .selectFrom("orders")
    .select("id")
    .where("saga_phase", "<>", "DONE")
    .where("saga_next_attempt_at", "<=", p.now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", p.now)]))
    .orderBy("saga_next_attempt_at")
    .limit(p.limit)
    .forUpdate()
    .skipLocked();
  return db
    .updateTable("orders")
    .set({ lease_owner: p.lease_owner, lease_until: p.lease_until })
    .where("id", "in", due)
    .returning(ROW_COLUMNS);
});
