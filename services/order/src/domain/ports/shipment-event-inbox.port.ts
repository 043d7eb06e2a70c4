import type { SagaRecord } from "./saga.repository.port.ts";

export type InboxOutcome = "applied" | "duplicate" | "order-not-found";

/** Fulfillment's events, applied at most once each (at-least-once delivery is deduplicated here). */
export interface ShipmentEventInbox {
  /**
   * In one transaction: records `eventId` and writes what `apply` makes of the order and its saga.
   * When `apply` throws, nothing is recorded, so a later delivery of the event is applied afresh.
   */
  applyOnce(
    eventId: string,
    orderId: string,
    apply: (current: SagaRecord) => SagaRecord,
  ): Promise<InboxOutcome>;
}
