import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { Code } from "@orderly/kit/errors";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "@orderly/testkit/db";
import { type RunningService, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { FakePeers } from "./support/fake-peers.ts";

// The server kind when one runs (closest to production), else PGlite.
const kind = testDatabaseKinds().at(-1) ?? "pglite";

describe(`order service through its own HTTP and gRPC servers, peers faked (${kind})`, () => {
  let peers: FakePeers;
  let testDb: TestDatabase;
  let running: RunningService;
  let grpc: Client<typeof OrderService>;
  let n = 0;
  const body = (customer: string, sku = "MUG-1") =>
    JSON.stringify({
      customer_id: customer,
      lines: [{ sku, quantity: 2 }],
      shipping_address: {
        name: "Ada",
        line1: "1 Loop",
        city: "Berlin",
        postal_code: "10115",
        country_code: "DE",
      },
    });
  const post = (json: string, headers: Record<string, string> = {}) =>
    fetch(`${running.httpUrl}/v1/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `component-${n++}`, ...headers },
      body: json,
    });

  beforeAll(async () => {
    peers = new FakePeers();
    const port = await peers.listen();
    testDb = await createTestDatabase(kind, "order_component");
    const peer = `127.0.0.1:${port}`;
    const start = (env: Record<string, string | undefined>) =>
      main(env) as unknown as Promise<Service<string, unknown>>;
    running = await startInProcess(start, {
      DATABASE_URL: testDb.url,
      INVENTORY_GRPC_ADDR: peer,
      INVOICE_GRPC_ADDR: peer,
      FULFILLMENT_GRPC_ADDR: peer,
    });
    grpc = createGrpcClient(OrderService, {
      target: running.grpcAddress,
      peer: "order",
      log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
      metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
      retry: false,
    });
  });
  afterAll(async () => {
    grpc?.close();
    await running?.stop();
    await peers?.stop();
    await testDb?.drop();
  });
  beforeEach(() => {
    peers.calls.length = 0;
    peers.script.refuseCurrency = false;
    peers.script.unknownSkus = [];
  });

  it("when an order is posted, then 201 CONFIRMED with names, prices and totals, and gRPC reads the same order", async () => {
    const response = await post(body("cust-http"));
    expect(response.status).toBe(201);
    const order = (await response.json()) as { id: string; status: string; lines: object[]; total: object };
    expect(order).toMatchObject({
      status: "CONFIRMED",
      lines: [
        {
          sku: "MUG-1",
          name: "Name of MUG-1",
          quantity: 2,
          unit_price: { currency_code: "USD", amount_minor: 250 },
        },
      ],
      total: { currency_code: "USD", amount_minor: 500 },
    });
    expect(response.headers.get("location")).toBe(`/v1/orders/${order.id}`);
    // Priced and named by the reservation: no ListItems call, and the invoice lines carry the name.
    expect([...peers.calls].sort()).toEqual([
      `CreateShipment ${order.id}`,
      "IssueInvoice Name of MUG-1",
      `Reserve ${order.id}:reserve`,
    ]);
    const read = (await grpc.getOrder({ id: order.id })).order;
    expect(read).toMatchObject({
      status: OrderStatus.CONFIRMED,
      invoiceId: `inv-${order.id}`,
      shipmentId: `shp-${order.id}`,
    });
  });

  it("when the client prefers not to wait, then 202 with the PENDING order, and it confirms by itself", async () => {
    const response = await post(body("cust-async"), { prefer: "respond-async" });
    expect(response.status).toBe(202);
    const order = (await response.json()) as { id: string; status: string };
    expect(order.status).toBe("PENDING");
    let status = order.status;
    for (let i = 0; i < 100 && status === "PENDING"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (
        (await (await fetch(`${running.httpUrl}/v1/orders/${order.id}`)).json()) as { status: string }
      ).status;
    }
    expect(status).toBe("CONFIRMED");
  });

  it("when invoicing refuses the currency, then FAILED CURRENCY_NOT_ACCEPTED and everything done is undone in reverse", async () => {
    peers.script.refuseCurrency = true;
    const order = (await (await post(body("cust-eur"))).json()) as {
      id: string;
      status: string;
      status_reason: string;
    };
    expect(order).toMatchObject({ status: "FAILED", status_reason: "CURRENCY_NOT_ACCEPTED" });
    expect(peers.calls.slice(3)).toEqual([`CancelShipment ${order.id}`, `Release ${order.id}:reserve`]);
  });

  it("when a line names an unknown SKU, then 404 problem SKU_NOT_FOUND naming it, and no order is left", async () => {
    peers.script.unknownSkus = ["GHOST-1"];
    const response = await post(body("cust-ghost", "GHOST-1"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      reason: "SKU_NOT_FOUND",
      detail: expect.stringContaining("GHOST-1"),
    });
    expect((await grpc.listOrders({ customerId: "cust-ghost" })).orders).toEqual([]);
  });

  it("when an id is malformed, then both transports answer INVALID_ARGUMENT / 400 naming id", async () => {
    await expect(grpc.cancelOrder({ id: "zz" })).rejects.toMatchObject({ code: Code.INVALID_ARGUMENT });
    const http = await fetch(`${running.httpUrl}/v1/orders/zz/cancel`, { method: "POST" });
    expect(http.status).toBe(400);
  });

  it("when a forged event says DELIVERED for a CONFIRMED order, then FAILED_PRECONDITION and the order stays CONFIRMED", async () => {
    const order = (await (await post(body("cust-forged"))).json()) as { id: string };
    await expect(
      grpc.recordShipmentEvent({
        event: {
          eventId: "forged-1",
          orderId: order.id,
          shipmentId: `shp-${order.id}`,
          status: ShipmentStatus.DELIVERED,
        },
      }),
    ).rejects.toMatchObject({ code: Code.FAILED_PRECONDITION, reason: "INVALID_TRANSITION" });
    expect((await grpc.getOrder({ id: order.id })).order?.status).toBe(OrderStatus.CONFIRMED);
  });

  it("when the real events come in order, then SHIPPED commits the stock once and DELIVERED ends it", async () => {
    const order = (await (await post(body("cust-ship"))).json()) as { id: string };
    const event = (eventId: string, status: ShipmentStatus) => ({
      event: { eventId, orderId: order.id, shipmentId: `shp-${order.id}`, status },
    });
    await grpc.recordShipmentEvent(event("ev-1", ShipmentStatus.SHIPPED));
    expect((await grpc.recordShipmentEvent(event("ev-1", ShipmentStatus.SHIPPED))).duplicate).toBe(true);
    await grpc.recordShipmentEvent(event("ev-2", ShipmentStatus.DELIVERED));
    expect((await grpc.getOrder({ id: order.id })).order?.status).toBe(OrderStatus.DELIVERED);
    for (let i = 0; i < 100 && !peers.calls.includes(`Commit ${order.id}:reserve`); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // DELIVERED can land while the stock commit runs; the saga then redoes the commit after reloading,
    // under the same reservation id, which inventory applies once (its idempotency key).
    const commits = peers.calls.filter((c) => c.startsWith("Commit"));
    expect(commits.length).toBeGreaterThan(0);
    expect(new Set(commits)).toEqual(new Set([`Commit ${order.id}:reserve`]));
  });
});
