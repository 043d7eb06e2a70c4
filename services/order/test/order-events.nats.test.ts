import { create } from "@bufbuild/protobuf";
import { jetstream } from "@nats-io/jetstream";
import { connect, headers, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { ShipmentStatusChangedSchema } from "@orderly/contracts/fulfillment/events";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { uuidv7 } from "@orderly/kit/db";
import { buildEnvelope, EventHeaders, encodeEnvelope } from "@orderly/kit/events";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabase } from "@orderly/testkit/db";
import { type RunningService, startInProcess } from "@orderly/testkit/harness";
import { eventually, natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { FakePeers } from "./support/fake-peers.ts";

describe.skipIf(!natsServerAvailable())(
  "order service on the event bus (EVENT_BUS_URL, real nats-server)",
  () => {
    let nats: TestNatsServer;
    let nc: NatsConnection;
    let peers: FakePeers;
    let testDb: TestDatabase;
    let running: RunningService;
    let grpc: Client<typeof OrderService>;
    const published: Msg[] = [];

    beforeAll(async () => {
      nats = await startNatsServer();
      nc = await connect({ servers: nats.url });
      nc.subscribe("orderly.order.>", {
        callback: (_, msg) => {
          published.push(msg);
        },
      });
      peers = new FakePeers();
      const peer = `127.0.0.1:${await peers.listen()}`;
      testDb = await createTestDatabase("pglite", "order_events");
      const start = (env: Record<string, string | undefined>) =>
        main(env) as unknown as Promise<Service<string, unknown>>;
      running = await startInProcess(start, {
        DATABASE_URL: testDb.url,
        INVENTORY_GRPC_ADDR: peer,
        INVOICE_GRPC_ADDR: peer,
        FULFILLMENT_GRPC_ADDR: peer,
        EVENT_BUS_URL: nats.url,
      });
      grpc = createGrpcClient(OrderService, {
        target: running.grpcAddress,
        peer: "order",
        log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
        metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
        retry: false,
      });
    }, 60_000);
    afterAll(async () => {
      grpc?.close();
      await running?.stop();
      await peers?.stop();
      await nc?.close();
      await nats?.stop();
      await testDb?.drop();
    });

    it("when an order confirms, then orderly.order.confirmed is published with Nats-Msg-Id and traceparent", async () => {
      const order = (
        await grpc.createOrder(
          {
            customerId: "cust-bus",
            lines: [{ sku: "MUG-1", quantity: 1n }],
            shippingAddress: {
              name: "Ada",
              line1: "1 Loop",
              city: "Berlin",
              postalCode: "10115",
              countryCode: "DE",
            },
          },
          { idempotencyKey: "bus-1" },
        )
      ).order;
      expect(order?.status).toBe(OrderStatus.CONFIRMED);
      const confirmed = await eventually(
        () => published.find((m) => m.subject === "orderly.order.confirmed"),
        (m) => m !== undefined,
      );
      expect(confirmed?.headers?.get(EventHeaders.msgId)).toMatch(/^[0-9a-f-]{36}$/);
      expect(confirmed?.headers?.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    });

    it("when fulfillment's SHIPPED event arrives on the bus (twice), then the order is SHIPPED and the stock committed once", async () => {
      const order = (
        await grpc.createOrder(
          {
            customerId: "cust-bus",
            lines: [{ sku: "MUG-2", quantity: 1n }],
            shippingAddress: {
              name: "Ada",
              line1: "1 Loop",
              city: "Berlin",
              postalCode: "10115",
              countryCode: "DE",
            },
          },
          { idempotencyKey: "bus-2" },
        )
      ).order;
      const id = order?.id ?? "";
      const eventId = uuidv7();
      const envelope = buildEnvelope({
        eventId,
        source: "fulfillment",
        aggregateId: `shp-${id}`,
        aggregateVersion: 3n,
        occurredAt: new Date(),
        schema: ShipmentStatusChangedSchema,
        payload: create(ShipmentStatusChangedSchema, {
          eventId,
          orderId: id,
          shipmentId: `shp-${id}`,
          status: ShipmentStatus.SHIPPED,
        }),
      });
      const js = jetstream(nc);
      // Twice, with different message ids, as a relay replay past the broker's dedupe window would.
      for (const msgId of [eventId, uuidv7()]) {
        const h = headers();
        h.set(EventHeaders.msgId, msgId);
        await js.publish("orderly.fulfillment.shipment_shipped", encodeEnvelope(envelope), { headers: h });
      }
      const shipped = await eventually(
        async () => (await grpc.getOrder({ id })).order?.status,
        (status) => status === OrderStatus.SHIPPED,
      );
      expect(shipped).toBe(OrderStatus.SHIPPED);
      await eventually(
        () => peers.calls.filter((c) => c === `Commit ${id}:reserve`).length,
        (n) => n > 0,
      );
      expect(peers.calls.filter((c) => c === `Commit ${id}:reserve`)).toHaveLength(1);
      const announced = await eventually(
        () => published.find((m) => m.subject === "orderly.order.shipped"),
        (m) => m !== undefined,
      );
      expect(announced).toBeDefined();
    });
  },
);
