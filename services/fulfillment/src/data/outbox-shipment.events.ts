import { enqueueOutbox } from "@orderly/kit/db";
import type { Transaction } from "kysely";
import type { ShipmentEvents } from "../domain/ports/shipment-events.port.ts";
import type { ShipmentStatusChanged } from "../domain/shipment-status-changed.event.ts";
import type { DB } from "./schema.ts";
import { SHIPMENT_STATUS_CHANGED_TOPIC, toPayload } from "./shipment-status-changed.payload.ts";

/** Status changes into the kit's outbox, in the transaction that makes the change. */
export class OutboxShipmentEvents implements ShipmentEvents {
  readonly #trx: Transaction<DB>;

  constructor(trx: Transaction<DB>) {
    this.#trx = trx;
  }

  async record(event: ShipmentStatusChanged): Promise<void> {
    // Keyed by shipment, so the relay delivers one shipment's changes in order. The event id doubles
    // as the outbox id: one id to follow from here to the receiver's deduplication.
    await enqueueOutbox(this.#trx, {
      topic: SHIPMENT_STATUS_CHANGED_TOPIC,
      key: event.shipmentId,
      payload: toPayload(event),
      id: event.eventId,
    });
  }
}
