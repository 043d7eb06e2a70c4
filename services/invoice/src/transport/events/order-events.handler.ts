import { OrderCancelledSchema, OrderFailedSchema } from "@orderly/contracts/order/events";
import { eventPayload, type ReceivedEvent } from "@orderly/kit/events";
import type { VoidInvoiceOfEndedOrder } from "../../domain/use-cases/void-invoice-of-ended-order.use-case.ts";

/** The order events the invoice service reacts to: `orderly.order.<token>`. */
export const ORDER_EVENTS_VOIDING_INVOICES = ["cancelled", "failed"] as const;

export interface OrderEventsLog {
  warn(fields: object, message: string): void;
}

/**
 * The order's `cancelled` and `failed` events from the bus: the order's invoice is voided, inside
 * the consumer's transaction (which has recorded the event id in the inbox, so the void and the
 * inbox row commit together and a redelivery finds the event seen). `voidIn(trx)` gives the use
 * case over a repository working on that transaction: on PGlite (one connection) a repository of
 * its own would wait for the consumer's transaction for ever.
 */
export function orderEventsHandler<Trx>(voidIn: (trx: Trx) => VoidInvoiceOfEndedOrder, log: OrderEventsLog) {
  return async (event: ReceivedEvent, trx: Trx): Promise<void> => {
    const ended = endedOrder(event);
    if (ended === undefined) return;
    const outcome = await voidIn(trx)(ended);
    if (outcome.kind === "paid") {
      log.warn(
        { eventId: event.id, orderId: ended.orderId, invoiceId: outcome.invoice.id },
        "order ended but its invoice is paid: not voided, a refund is due",
      );
    }
  };
}

function endedOrder(event: ReceivedEvent): { orderId: string; reason: string } | undefined {
  const cancelled = eventPayload(event, OrderCancelledSchema);
  if (cancelled) return { orderId: cancelled.orderId, reason: because("cancelled", cancelled.reason) };
  const failed = eventPayload(event, OrderFailedSchema);
  if (failed) return { orderId: failed.orderId, reason: because("failed", failed.reason) };
  return undefined;
}

const because = (what: string, reason: string) => (reason ? `order ${what}: ${reason}` : `order ${what}`);
