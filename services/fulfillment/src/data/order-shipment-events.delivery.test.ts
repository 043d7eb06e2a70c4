import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import type { OutboxMessage } from "@orderly/kit/db";
import { describe, expect, it } from "vitest";
import { orderShipmentEventDelivery } from "./order-shipment-events.delivery.ts";
import type { ShipmentStatusChangedPayload } from "./shipment-status-changed.payload.ts";

const payload: ShipmentStatusChangedPayload = {
  event_id: "0190f3a2-0000-7000-8000-0000000000e1",
  shipment_id: "0190f3a2-0000-7000-8000-000000000001",
  order_id: "order-1",
  status: "SHIPPED",
  carrier: "UPS",
  tracking_number: "1ZABC",
  occurred_at: "2026-11-01T10:00:00.123Z",
};

function message(body: unknown): OutboxMessage {
  return {
    id: payload.event_id,
    topic: "shipment.status_changed",
    key: "k",
    payload: body,
    attempts: 0,
    createdAt: new Date(),
  };
}

function recordingOrder() {
  const calls: { request: unknown; options: unknown }[] = [];
  return {
    calls,
    recordShipmentEvent: async (request: unknown, options: unknown) => {
      calls.push({ request, options });
      return { duplicate: false } as never;
    },
  };
}

describe("shipment event delivery to the order service", () => {
  it("when an event is delivered, then RecordShipmentEvent gets its fields, the status enum, the time and the event id as key", async () => {
    const order = recordingOrder();

    await orderShipmentEventDelivery(order)(message(payload));

    const [call] = order.calls as { request: { event: Record<string, unknown> }; options: unknown }[];
    expect(call?.request.event).toMatchObject({
      eventId: payload.event_id,
      shipmentId: payload.shipment_id,
      orderId: "order-1",
      status: ShipmentStatus.SHIPPED,
      carrier: "UPS",
      trackingNumber: "1ZABC",
    });
    expect(timestampDate(call?.request.event.occurredAt as never).toISOString()).toBe(payload.occurred_at);
    expect(call?.options).toEqual({ idempotencyKey: payload.event_id });
  });

  it.each([
    ["no payload", null],
    ["an unknown status", { ...payload, status: "LOST" }],
    ["a missing order id", { ...payload, order_id: undefined }],
    ["an unreadable time", { ...payload, occurred_at: "yesterday" }],
  ])("when the payload has %s, then delivery fails without calling order", async (_, body) => {
    const order = recordingOrder();

    await expect(orderShipmentEventDelivery(order)(message(body))).rejects.toThrow(
      /not a shipment.status_changed/,
    );
    expect(order.calls).toHaveLength(0);
  });
});
