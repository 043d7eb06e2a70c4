import { type Shipment, type ShipmentEvent, ShipmentStatus } from "@orderly/contracts/fulfillment";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { freePort } from "@orderly/testkit/net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type EventAnswer, FakeOrderService } from "./fake-order.service.ts";
import {
  createRequest,
  type RunningFulfillment,
  sampleValue,
  startFulfillment,
} from "./fulfillment.test-support.ts";

const TOPIC = { topic: "shipment.status_changed" };
const EVENTUALLY = { timeout: 25_000, interval: 50 };
const UNKNOWN_ORDER = "events-unknown-order";

// The order service does not know UNKNOWN_ORDER at first (NOT_FOUND twice per event), then says it
// already has the event.
const answer: EventAnswer = (event, earlierCalls) => {
  if (event.orderId !== UNKNOWN_ORDER) return undefined;
  return earlierCalls < 2 ? "not-found" : "duplicate";
};

/** Each event once, at its first acknowledged arrival. */
function firstArrivals(events: ShipmentEvent[]): ShipmentEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}

for (const kind of testDatabaseKinds()) {
  describe(`shipment events to the order service (${kind})`, () => {
    let orderPort: number;
    let svc: RunningFulfillment;
    const order = new FakeOrderService(answer);
    let orderUp = false;

    // The order service starts down: nothing listens on its port until a test starts the fake there.
    // Relay polling and backoff are small so redelivery takes milliseconds, not minutes.
    beforeAll(async () => {
      orderPort = await freePort();
      svc = await startFulfillment(kind, "fulfillment_events", orderPort, {
        OUTBOX_POLL_INTERVAL_MS: "50",
        OUTBOX_RETRY_INITIAL_MS: "10",
        OUTBOX_RETRY_MAX_MS: "200",
        PEER_DEADLINE_MS: "1000",
      });
    });
    afterAll(async () => {
      await svc?.stop();
      if (orderUp) await order.stop();
    });

    const startOrder = async () => {
      if (orderUp) return;
      await order.listen(orderPort);
      orderUp = true;
    };
    const metric = async (name: string) =>
      sampleValue(await (await fetch(`${svc.running.httpUrl}/metrics`)).text(), name, TOPIC);

    it("when the order service was down while a shipment moved, then once it is up every event arrives in order with its fields", async () => {
      const created = await svc.grpc.createShipment(createRequest("events-order-1"));
      const states: Shipment[] = [created.shipment as Shipment];
      const id = states[0]?.id ?? "";
      for (const toStatus of [
        ShipmentStatus.PICKING,
        ShipmentStatus.PACKED,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
      ]) {
        states.push((await svc.grpc.advanceShipment({ id, toStatus })).shipment as Shipment);
      }
      // Down for a while: the relay has tried and failed several times.
      await vi.waitFor(
        async () => expect(await metric("outbox_delivery_failures_total")).toBeGreaterThanOrEqual(3),
        EVENTUALLY,
      );

      await startOrder();

      await vi.waitFor(() => expect(firstArrivals(order.acknowledged(id))).toHaveLength(5), EVENTUALLY);
      const events = firstArrivals(order.acknowledged(id));
      expect(events.map((e) => e.status)).toEqual([
        ShipmentStatus.PENDING,
        ShipmentStatus.PICKING,
        ShipmentStatus.PACKED,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
      ]);
      events.forEach((event, i) => {
        const state = states[i] as Shipment;
        expect(event).toMatchObject({
          shipmentId: id,
          orderId: "events-order-1",
          status: state.status,
          carrier: state.carrier,
          trackingNumber: state.trackingNumber,
          occurredAt: state.updatedAt,
        });
        expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
      });
      expect(events[3]).toMatchObject({ carrier: "DHL", trackingNumber: expect.stringMatching(/^\d{10}$/) });
      const calls = order.received.filter((r) => r.event.shipmentId === id);
      expect(calls.every((r) => r.idempotencyKey === r.event.eventId)).toBe(true);
    });

    it("when the order service answers NOT_FOUND at first, then the event is retried, later ones wait, and a duplicate answer acknowledges it", async () => {
      await startOrder();
      const { shipment } = await svc.grpc.createShipment(createRequest(UNKNOWN_ORDER));
      const id = shipment?.id ?? "";
      await svc.grpc.cancelShipment({ id, reason: "order unknown" });

      await vi.waitFor(() => expect(firstArrivals(order.acknowledged(id))).toHaveLength(2), EVENTUALLY);
      const calls = order.received.filter((r) => r.event.shipmentId === id);
      expect(calls.map((r) => [r.event.status, r.outcome])).toEqual([
        [ShipmentStatus.PENDING, "not-found"],
        [ShipmentStatus.PENDING, "not-found"],
        [ShipmentStatus.PENDING, "duplicate"],
        [ShipmentStatus.CANCELLED, "not-found"],
        [ShipmentStatus.CANCELLED, "not-found"],
        [ShipmentStatus.CANCELLED, "duplicate"],
      ]);
      // Acknowledged means done: nothing of this topic is left to deliver.
      await vi.waitFor(async () => expect(await metric("outbox_backlog")).toBe(0), EVENTUALLY);
    });
  });
}
