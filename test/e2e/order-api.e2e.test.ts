import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { Code } from "@orderly/kit/errors";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, eventually, Stack } from "./stack.ts";

const address = {
  name: "Alan Turing",
  line1: "1 Bletchley Park",
  city: "Milton Keynes",
  postalCode: "MK3 6EB",
  countryCode: "GB",
};

for (const kind of testDatabaseKinds()) {
  describe(`order API (${kind})`, () => {
    let stack: Stack;
    let c: ReturnType<Stack["clients"]>;
    let n = 0;
    const create = (customerId: string) =>
      c.order.createOrder(
        { customerId, lines: [{ sku: "API-1", quantity: 1n }], shippingAddress: address },
        { idempotencyKey: `api-${kind}-${n++}` },
      );

    beforeAll(async () => {
      stack = await Stack.start(kind);
      c = stack.clients();
      await c.inventory.upsertItem({
        sku: "API-1",
        name: "api",
        unitPrice: { currencyCode: "EUR", amountMinor: 300n },
      });
      await c.inventory.adjustStock({
        sku: "API-1",
        delta: 100n,
        reason: "e2e",
        adjustmentId: `seed-api-${kind}`,
      });
    });
    afterAll(() => stack?.stop());

    it("when an order is watched, then the stream sends CONFIRMED, SHIPPED, DELIVERED and ends (on another replica too, where the database is shared)", async () => {
      const id = (await create("cust-watch")).order?.id ?? "";
      // PGlite is one process's database, so only PostgreSQL can run a second replica.
      const watcherAddress =
        kind === "postgres" ? (await stack.startReplica("order")).grpcAddress : stack.address("order");
      const watcher = clientFor(OrderService, watcherAddress);
      const seen: number[] = [];
      const watching = (async () => {
        for await (const message of watcher.watchOrder({ id }, { deadlineMs: 60_000 }))
          seen.push(message.order?.status ?? 0);
      })();
      const shipmentId = (await c.order.getOrder({ id })).order?.shipmentId ?? "";
      for (const to of [
        ShipmentStatus.PICKING,
        ShipmentStatus.PACKED,
        ShipmentStatus.SHIPPED,
        ShipmentStatus.DELIVERED,
      ]) {
        await c.fulfillment.advanceShipment({ id: shipmentId, toStatus: to });
      }
      await watching;
      watcher.close();
      expect(seen).toEqual([OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]);
    });

    it("when a customer's orders are listed, then newest first in pages until the token runs out", async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await create("cust-pages")).order?.id ?? "");
      const first = await c.order.listOrders({ customerId: "cust-pages", pageSize: 2 });
      const second = await c.order.listOrders({
        customerId: "cust-pages",
        pageSize: 2,
        pageToken: first.nextPageToken,
      });
      expect([...first.orders, ...second.orders].map((o) => o.id)).toEqual([...ids].reverse());
      expect(second.nextPageToken).toBe("");
      await expect(
        c.order.listOrders({ customerId: "cust-pages", pageToken: "garbage" }),
      ).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
        details: { field: "page_token" },
      });
    });

    it("when the client prefers not to wait, then 202 with the PENDING order and its URL, and that URL later shows it CONFIRMED", async () => {
      const response = await fetch(`${stack.httpUrl("order")}/v1/orders`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": `async-${kind}`,
          prefer: "respond-async",
        },
        body: JSON.stringify({
          customer_id: "cust-async",
          lines: [{ sku: "API-1", quantity: 1 }],
          shipping_address: {
            name: "A",
            line1: "1 Road",
            city: "Paris",
            postal_code: "75001",
            country_code: "FR",
          },
        }),
      });
      expect(response.status).toBe(202);
      expect(response.headers.get("preference-applied")).toBe("respond-async");
      const body = (await response.json()) as { id: string; status: string };
      expect(body.status).toBe("PENDING");
      expect(response.headers.get("location")).toBe(`/v1/orders/${body.id}`);
      const url = `${stack.httpUrl("order")}${response.headers.get("location")}`;
      const settled = await eventually(
        async () => (await (await fetch(url)).json()) as { status: string },
        (order) => order.status !== "PENDING",
      );
      expect(settled.status).toBe("CONFIRMED");

      const grpc = await c.order.createOrder(
        {
          customerId: "cust-async",
          lines: [{ sku: "API-1", quantity: 1n }],
          shippingAddress: address,
          respondAsync: true,
        },
        { idempotencyKey: `async-grpc-${kind}` },
      );
      expect(grpc.order?.status).toBe(OrderStatus.PENDING);
      const later = await eventually(
        async () => (await c.order.getOrder({ id: grpc.order?.id ?? "" })).order,
        (order) => order?.status !== OrderStatus.PENDING,
      );
      expect(later?.status).toBe(OrderStatus.CONFIRMED);
    });

    it("when an order id is unknown or malformed, then NOT_FOUND or INVALID_ARGUMENT", async () => {
      await expect(c.order.getOrder({ id: "0190a7a0-0000-7000-8000-000000000000" })).rejects.toMatchObject({
        code: Code.NOT_FOUND,
        reason: "ORDER_NOT_FOUND",
      });
      await expect(c.order.getOrder({ id: "not-a-uuid" })).rejects.toMatchObject({
        code: Code.INVALID_ARGUMENT,
      });
      const http = await fetch(`${stack.httpUrl("order")}/v1/orders/not-a-uuid`);
      expect(http.status).toBe(400);
    });

    it("when orders settle, then /metrics counts them by status and shows saga step latency", async () => {
      expect((await create("cust-metrics")).order?.status).toBe(OrderStatus.CONFIRMED);
      const body = await (await fetch(`${stack.httpUrl("order")}/metrics`)).text();
      expect(body).toMatch(/orders_total\{[^}]*status="CONFIRMED"[^}]*\} [1-9]/);
      expect(body).toContain("order_saga_step_duration_seconds_bucket{");
      expect(body).toMatch(/order_sagas_pending\{[^}]*\} \d/);
    });
  });
}
