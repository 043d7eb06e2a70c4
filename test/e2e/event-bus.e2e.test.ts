import { connect, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { InvoiceStatus } from "@orderly/contracts/invoice";
import { OrderStatus } from "@orderly/contracts/order";
import { natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, Stack } from "./stack.ts";

const address = {
  name: "Grace Hopper",
  line1: "1 Navy Way",
  city: "Arlington",
  postalCode: "22202",
  countryCode: "US",
};

describe.skipIf(!natsServerAvailable())(
  "four services on NATS JetStream (EVENT_BUS_URL on every service)",
  () => {
    let nats: TestNatsServer;
    let nc: NatsConnection;
    let stack: Stack;
    let c: ReturnType<Stack["clients"]>;
    const seen: Msg[] = [];

    beforeAll(async () => {
      nats = await startNatsServer();
      nc = await connect({ servers: nats.url });
      nc.subscribe("orderly.>", {
        callback: (_, msg) => {
          seen.push(msg);
        },
      });
      const bus = { EVENT_BUS_URL: nats.url };
      stack = await Stack.start("pglite", { order: bus, fulfillment: bus, inventory: bus, invoice: bus });
      c = stack.clients();
      await c.inventory.upsertItem({
        sku: "BUS-1",
        name: "bus mug",
        unitPrice: { currencyCode: "USD", amountMinor: 900n },
      });
      await c.inventory.adjustStock({ sku: "BUS-1", delta: 10n, reason: "e2e", adjustmentId: "seed-bus" });
    }, 180_000);
    afterAll(async () => {
      await stack?.stop();
      await nc?.close();
      await nats?.stop();
    });

    it("when the order service is down while its shipment ships, then started again it reaches SHIPPED from the broker", async () => {
      const order = (
        await c.order.createOrder(
          { customerId: "cust-bus", lines: [{ sku: "BUS-1", quantity: 1n }], shippingAddress: address },
          { idempotencyKey: "bus-e2e-1" },
        )
      ).order;
      expect(order?.status).toBe(OrderStatus.CONFIRMED);
      const shipmentId = order?.shipmentId ?? "";

      await stack.stopService("order");
      for (const to of [ShipmentStatus.PICKING, ShipmentStatus.PACKED, ShipmentStatus.SHIPPED]) {
        await c.fulfillment.advanceShipment({ id: shipmentId, toStatus: to });
      }
      // Published while nobody consumed: the broker holds it for the order service's durable consumer.
      await eventually(
        async () => seen.some((m) => m.subject === "orderly.fulfillment.shipment_shipped"),
        (published) => published,
      );
      await stack.startService("order");
      const shipped = await eventually(
        async () => (await stack.clients().order.getOrder({ id: order?.id ?? "" })).order?.status,
        (status) => status === OrderStatus.SHIPPED,
      );
      expect(shipped).toBe(OrderStatus.SHIPPED);
      const item = await eventually(
        async () => (await c.inventory.getItem({ sku: "BUS-1" })).item,
        (i) => i?.reserved === 0n,
      );
      expect(item).toMatchObject({ onHand: 9n, reserved: 0n });

      const events = seen.filter(
        (m) => m.subject.startsWith("orderly.order.") || m.subject.startsWith("orderly.fulfillment."),
      );
      expect(events.map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          "orderly.order.confirmed",
          "orderly.fulfillment.shipment_shipped",
          "orderly.order.shipped",
        ]),
      );
      for (const m of events) {
        expect(m.headers?.get("Nats-Msg-Id"), m.subject).toMatch(/^[0-9a-f-]{36}$/);
        expect(m.headers?.get("traceparent"), m.subject).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      }
    });

    it("when an order is cancelled, then the invoice service's durable consumer takes orderly.order.cancelled and the invoice stays voided once", async () => {
      const order = (
        await c.order.createOrder(
          { customerId: "cust-bus", lines: [{ sku: "BUS-1", quantity: 1n }], shippingAddress: address },
          { idempotencyKey: "bus-e2e-cancel" },
        )
      ).order;
      const id = order?.id ?? "";
      expect((await c.order.cancelOrder({ id, reason: "changed my mind" })).order?.status).toBe(
        OrderStatus.CANCELLED,
      );
      await eventually(
        async () => seen.some((m) => m.subject === "orderly.order.cancelled"),
        (published) => published,
      );
      // The broker's view (JetStream API over plain NATS): the invoice consumer has acknowledged
      // everything in the order stream, the cancelled event included, without redeliveries.
      const jsApi = async (subject: string) =>
        JSON.parse(new TextDecoder().decode((await nc.request(subject)).data));
      const lastSeq = (await jsApi("$JS.API.STREAM.INFO.ORDERLY_ORDER")).state.last_seq;
      const consumer = await eventually(
        () => jsApi("$JS.API.CONSUMER.INFO.ORDERLY_ORDER.invoice"),
        (info) => info.ack_floor?.stream_seq >= lastSeq && info.num_ack_pending === 0,
      );
      expect(consumer.ack_floor.stream_seq).toBeGreaterThanOrEqual(lastSeq);
      expect(consumer.num_redelivered).toBe(0);
      const { invoices } = await c.invoice.listInvoices({ orderId: id });
      expect(invoices.map((i) => i.status)).toEqual([InvoiceStatus.VOID]);
    });
  },
);
