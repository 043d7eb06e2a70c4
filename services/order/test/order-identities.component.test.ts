import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { createDevCa, type DevCa } from "@orderly/kit/auth";
import type { GrpcTls } from "@orderly/kit/config";
import { Code } from "@orderly/kit/errors";
import { type Client, clientTls, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabase } from "@orderly/testkit/db";
import { type RunningService, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { FakePeers } from "./support/fake-peers.ts";

/**
 * The order service with GRPC_TLS_* set, as `pnpm start` runs it: its port takes customers without
 * a certificate, its saga calls peers (fakes that, like the real ones, admit only order's
 * certificate), and only fulfillment's certificate may record shipment events.
 */
describe("order service with service identities (mTLS)", () => {
  const ca = createDevCa();
  const stranger = createDevCa("another CA");
  const dir = mkdtempSync(join(tmpdir(), "orderly-order-mtls-"));
  const clients: { close(): void }[] = [];
  let peers: FakePeers;
  let testDb: TestDatabase;
  let running: RunningService;
  let n = 0;

  const identity = (name: string, authority: DevCa = ca, dnsNames: string[] = []): GrpcTls => {
    const pair = authority.issue(name, { dnsNames });
    return { ca: ca.cert, ...pair };
  };
  /** An order client calling as `tls` (a certificate), or with none when only the CA is given. */
  const orderClient = (tls: GrpcTls | { ca: string }): Client<typeof OrderService> => {
    const secure =
      "cert" in tls
        ? clientTls(tls, "order")
        : {
            credentials: grpc.credentials.createSsl(Buffer.from(tls.ca)),
            channelOptions: { "grpc.ssl_target_name_override": "order" },
          };
    const client = createGrpcClient(OrderService, {
      ...secure,
      target: running.grpcAddress,
      peer: "order",
      log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
      metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
      retry: false,
    });
    clients.push(client);
    return client;
  };
  const createOrder = (customer: Client<typeof OrderService>) =>
    customer.createOrder(
      {
        customerId: "cust-mtls",
        lines: [{ sku: "MUG-1", quantity: 1n }],
        shippingAddress: {
          name: "Ada",
          line1: "1 Loop",
          city: "Berlin",
          postalCode: "10115",
          countryCode: "DE",
        },
      },
      { idempotencyKey: `mtls-${n++}` },
    );
  const event = (orderId: string, status: ShipmentStatus, shipmentId = `shp-${orderId}`) => ({
    event: { eventId: `evt-${n++}`, orderId, shipmentId, status },
  });

  beforeAll(async () => {
    peers = new FakePeers({ tls: identity("peers", ca, ["inventory", "invoice", "fulfillment"]) });
    const peer = `127.0.0.1:${await peers.listen()}`;
    const own = identity("order");
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    testDb = await createTestDatabase("pglite", "order_mtls");
    const start = (env: Record<string, string | undefined>) =>
      main(env) as unknown as Promise<Service<string, unknown>>;
    running = await startInProcess(start, {
      DATABASE_URL: testDb.url,
      INVENTORY_GRPC_ADDR: peer,
      INVOICE_GRPC_ADDR: peer,
      FULFILLMENT_GRPC_ADDR: peer,
      GRPC_TLS_CA: file("ca.pem", own.ca),
      GRPC_TLS_CERT: file("order.pem", own.cert),
      GRPC_TLS_KEY: file("order-key.pem", own.key),
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await running?.stop();
    await peers?.stop();
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when a customer without a certificate creates and reads an order over TLS, then the saga confirms it through mTLS peers", async () => {
    const customer = orderClient({ ca: ca.cert });

    const created = await createOrder(customer);

    expect(created.order?.status).toBe(OrderStatus.CONFIRMED);
    expect((await customer.getOrder({ id: created.order?.id ?? "" })).order?.status).toBe(
      OrderStatus.CONFIRMED,
    );
    expect(peers.calls.some((call) => call.startsWith("Reserve "))).toBe(true);
  });

  it("when a caller without a certificate sends a shipment event, then UNAUTHENTICATED and the order stays CONFIRMED", async () => {
    const customer = orderClient({ ca: ca.cert });
    const id = (await createOrder(customer)).order?.id ?? "";

    await expect(customer.recordShipmentEvent(event(id, ShipmentStatus.SHIPPED))).rejects.toMatchObject({
      code: Code.UNAUTHENTICATED,
    });
    expect((await customer.getOrder({ id })).order?.status).toBe(OrderStatus.CONFIRMED);
  });

  it("when inventory's certificate, or fulfillment's name signed by another CA, sends one, then it is refused and nothing moves", async () => {
    const customer = orderClient({ ca: ca.cert });
    const id = (await createOrder(customer)).order?.id ?? "";

    await expect(
      orderClient(identity("inventory")).recordShipmentEvent(event(id, ShipmentStatus.SHIPPED)),
    ).rejects.toMatchObject({ code: Code.PERMISSION_DENIED, reason: "CALLER_NOT_ALLOWED" });
    await expect(
      orderClient(identity("fulfillment", stranger)).recordShipmentEvent(event(id, ShipmentStatus.SHIPPED)),
    ).rejects.toMatchObject({ code: Code.UNAUTHENTICATED });
    expect((await customer.getOrder({ id })).order?.status).toBe(OrderStatus.CONFIRMED);
  });

  it("when fulfillment's certificate sends impossible events, then FAILED_PRECONDITION; in order, the order ships and is delivered", async () => {
    const customer = orderClient({ ca: ca.cert });
    const fulfillment = orderClient(identity("fulfillment"));
    const id = (await createOrder(customer)).order?.id ?? "";

    await expect(fulfillment.recordShipmentEvent(event(id, ShipmentStatus.DELIVERED))).rejects.toMatchObject({
      code: Code.FAILED_PRECONDITION,
      reason: "INVALID_TRANSITION",
    });
    await expect(
      fulfillment.recordShipmentEvent(event(id, ShipmentStatus.SHIPPED, "shp-someone-else")),
    ).rejects.toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "SHIPMENT_MISMATCH" });
    expect((await customer.getOrder({ id })).order?.status).toBe(OrderStatus.CONFIRMED);

    await fulfillment.recordShipmentEvent(event(id, ShipmentStatus.SHIPPED));
    await fulfillment.recordShipmentEvent(event(id, ShipmentStatus.DELIVERED));
    expect((await customer.getOrder({ id })).order?.status).toBe(OrderStatus.DELIVERED);
  });
});
