import { create } from "@bufbuild/protobuf";
import { toMoneyMessage } from "@orderly/contracts/money";
import {
  OrderCancelledSchema,
  OrderConfirmedSchema,
  OrderDeliveredSchema,
  OrderFailedSchema,
  OrderShippedSchema,
} from "@orderly/contracts/order/events";
import { recordEvent } from "@orderly/kit/events";
import type { Transaction } from "kysely";
import type { Order } from "../domain/order.ts";
import type { OrderDatabase } from "./schema.ts";

/** Records what a status change announces, in the transaction of the change; none without a bus. */
export type StatusEvents = (trx: Transaction<OrderDatabase>, order: Order, version: number) => Promise<void>;

/** What the order publishes (orderly.order.<event>), recorded in the transaction of the change. */
export const ORDER_EVENTS = ["confirmed", "cancelled", "failed", "shipped", "delivered"] as const;

/**
 * Records the event for `order`'s new status in the outbox, if its status is one the order
 * announces; the relay publishes it to the bus after the commit.
 */
export async function recordOrderEvent(
  trx: Transaction<OrderDatabase>,
  order: Order,
  version: number,
): Promise<void> {
  const base = {
    source: "order",
    aggregateId: order.id,
    aggregateVersion: version,
    occurredAt: order.updatedAt,
  };
  const ids = { orderId: order.id, customerId: order.customerId };
  switch (order.status) {
    case "CONFIRMED": {
      const total = order.totals ? { total: toMoneyMessage(order.totals.total) } : {};
      const payload = create(OrderConfirmedSchema, {
        ...ids,
        invoiceId: order.invoiceId ?? "",
        shipmentId: order.shipmentId ?? "",
        ...total,
      });
      await recordEvent(trx, { ...base, event: "confirmed", schema: OrderConfirmedSchema, payload });
      return;
    }
    case "CANCELLED": {
      const payload = create(OrderCancelledSchema, {
        ...ids,
        invoiceId: order.invoiceId ?? "",
        shipmentId: order.shipmentId ?? "",
        reason: order.statusReason,
      });
      await recordEvent(trx, { ...base, event: "cancelled", schema: OrderCancelledSchema, payload });
      return;
    }
    case "FAILED": {
      const payload = create(OrderFailedSchema, { ...ids, reason: order.statusReason });
      await recordEvent(trx, { ...base, event: "failed", schema: OrderFailedSchema, payload });
      return;
    }
    case "SHIPPED": {
      const payload = create(OrderShippedSchema, { ...ids, shipmentId: order.shipmentId ?? "" });
      await recordEvent(trx, { ...base, event: "shipped", schema: OrderShippedSchema, payload });
      return;
    }
    case "DELIVERED": {
      const payload = create(OrderDeliveredSchema, { ...ids, shipmentId: order.shipmentId ?? "" });
      await recordEvent(trx, { ...base, event: "delivered", schema: OrderDeliveredSchema, payload });
      return;
    }
    default:
      return;
  }
}
