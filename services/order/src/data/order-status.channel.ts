import { sql } from "kysely";

/** NOTIFY channel carrying the id of an order whose status changed, from any replica. */
export const ORDER_STATUS_CHANNEL = "order_status";

/** A RETURNING expression that queues the notice for the updated row; sent when the statement commits. */
export function announceStatusChange() {
  return sql<string>`pg_notify(${ORDER_STATUS_CHANNEL}, id::text)`.as("announced");
}
