import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { ShipmentStatusChangedSchema } from "@orderly/contracts/fulfillment/events";
import { eventPayload, type ReceivedEvent } from "@orderly/kit/events";
import type { ShipmentEvent } from "../../domain/use-cases/record-shipment-event.use-case.ts";

const STATUS_NAMES = Object.fromEntries(
  Object.entries(ShipmentStatus).map(([name, value]) => [value, name]),
) as Record<number, ShipmentEvent["status"]>;

/**
 * Fulfillment's shipment events from the bus, applied by the same use case as the gRPC push, inside
 * the consumer's transaction (which has already recorded the event id in the inbox).
 */
export function shipmentEventsHandler<Trx>(
  recordIn: (trx: Trx) => (event: ShipmentEvent) => Promise<unknown>,
) {
  return async (event: ReceivedEvent, trx: Trx): Promise<void> => {
    const changed = eventPayload(event, ShipmentStatusChangedSchema);
    if (!changed) return;
    await recordIn(trx)({
      eventId: event.id,
      orderId: changed.orderId,
      shipmentId: changed.shipmentId,
      status: STATUS_NAMES[changed.status] ?? "UNSPECIFIED",
    });
  };
}
