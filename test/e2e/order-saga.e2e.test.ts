import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { InvoiceStatus } from "@orderly/contracts/invoice";
import { OrderStatus } from "@orderly/contracts/order";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, Stack } from "./stack.ts";

const address = {
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postalCode: "N1 9GU",
  countryCode: "GB",
};
const httpAddress = {
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postal_code: "N1 9GU",
  country_code: "GB",
};
let keys = 0;
const key = () => `e2e-${Date.now()}-${keys++}`;

for (const kind of testDatabaseKinds()) {
  describe(`order saga end to end, four real services (${kind})`, () => {
    let stack: Stack;
    let c: ReturnType<Stack["clients"]>;

    beforeAll(async () => {
      stack = await Stack.start(kind);
      c = stack.clients();
    });
    afterAll(() => stack?.stop());

    async function stockItem(sku: string, onHand: number, priceMinor = 1000) {
      await c.inventory.upsertItem({
        sku,
        name: sku,
        unitPrice: { currencyCode: "EUR", amountMinor: BigInt(priceMinor) },
      });
      await c.inventory.adjustStock({
        sku,
        delta: BigInt(onHand),
        reason: "e2e stock",
        adjustmentId: `seed-${sku}`,
      });
    }
    const item = async (sku: string) => (await c.inventory.getItem({ sku })).item;
    const order = async (id: string) => (await c.order.getOrder({ id })).order;
    const invoicesOf = async (orderId: string) => (await c.invoice.listInvoices({ orderId })).invoices;
    const shipmentsOf = async (orderId: string) => (await c.fulfillment.listShipments({ orderId })).shipments;
    const create = (sku: string, quantity: number, idempotencyKey = key(), customerId = "cust-e2e") =>
      c.order.createOrder(
        { customerId, lines: [{ sku, quantity: BigInt(quantity) }], shippingAddress: address },
        { idempotencyKey },
      );

    it("when every service answers, then CONFIRMED, then SHIPPED and DELIVERED as fulfillment advances, and all four agree", async () => {
      await stockItem("E2E-HAPPY", 10, 1250);
      const created = (await create("E2E-HAPPY", 2)).order;
      expect(created?.status).toBe(OrderStatus.CONFIRMED);
      const id = created?.id ?? "";
      const [invoice] = await invoicesOf(id);
      expect(invoice?.total?.amountMinor).toBe(created?.total?.amountMinor);
      expect(invoice?.subtotal?.amountMinor).toBe(2500n);
      const shipmentId = created?.shipmentId ?? "";
      expect((await shipmentsOf(id)).map((s) => s.id)).toEqual([shipmentId]);
      expect(await item("E2E-HAPPY")).toMatchObject({ onHand: 10n, reserved: 2n, available: 8n });

      for (const to of [ShipmentStatus.PICKING, ShipmentStatus.PACKED, ShipmentStatus.SHIPPED]) {
        await c.fulfillment.advanceShipment({ id: shipmentId, toStatus: to });
      }
      await eventually(
        () => order(id),
        (o) => o?.status === OrderStatus.SHIPPED,
      );
      // The shipment left: the reservation is committed, so stock on hand drops and nothing stays reserved.
      await eventually(
        () => item("E2E-HAPPY"),
        (i) => i?.onHand === 8n && i.reserved === 0n,
      );
      await c.fulfillment.advanceShipment({ id: shipmentId, toStatus: ShipmentStatus.DELIVERED });
      await eventually(
        () => order(id),
        (o) => o?.status === OrderStatus.DELIVERED,
      );
    });

    it("when stock is short, then REJECTED, stock untouched, no invoice and no shipment", async () => {
      await stockItem("E2E-SHORT", 1);
      const created = (await create("E2E-SHORT", 5)).order;
      expect(created).toMatchObject({ status: OrderStatus.REJECTED, statusReason: "OUT_OF_STOCK" });
      expect(await item("E2E-SHORT")).toMatchObject({ onHand: 1n, reserved: 0n });
      expect(await invoicesOf(created?.id ?? "")).toEqual([]);
      expect(await shipmentsOf(created?.id ?? "")).toEqual([]);
    });

    it("when the same CreateOrder is sent 20 times at once with one key, then one order, reservation, invoice and shipment", async () => {
      await stockItem("E2E-DUP", 100);
      const k = key();
      const answers = await Promise.all(Array.from({ length: 20 }, () => create("E2E-DUP", 3, k)));
      const ids = new Set(answers.map((a) => a.order?.id));
      expect(ids.size).toBe(1);
      const id = [...ids][0] ?? "";
      await eventually(
        () => order(id),
        (o) => o?.status === OrderStatus.CONFIRMED,
      );
      expect(await item("E2E-DUP")).toMatchObject({ reserved: 3n });
      expect(await invoicesOf(id)).toHaveLength(1);
      expect(await shipmentsOf(id)).toHaveLength(1);
    });

    it("when 100 orders race for a SKU with 30 in stock, then exactly 30 CONFIRMED, 70 REJECTED, stock 0 and never negative", async () => {
      await stockItem("E2E-HOT", 30);
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => create("E2E-HOT", 1, key(), "cust-hot")),
      );
      // Under this load some answers come back PENDING (a step outlived the request budget); the
      // worker settles them without any client call.
      const settled = await Promise.all(
        answers.map((a) =>
          eventually(
            () => order(a.order?.id ?? ""),
            (o) => o?.status !== OrderStatus.PENDING,
            60_000,
          ),
        ),
      );
      const statuses = settled.map((o) => o?.status);
      expect(statuses.filter((s) => s === OrderStatus.CONFIRMED)).toHaveLength(30);
      expect(statuses.filter((s) => s === OrderStatus.REJECTED)).toHaveLength(70);
      expect(await item("E2E-HOT")).toMatchObject({ onHand: 30n, reserved: 30n, available: 0n });
    });

    it("when a CONFIRMED order is cancelled, then CANCELLED, shipment cancelled, invoice voided, stock back", async () => {
      await stockItem("E2E-CANCEL", 5);
      const created = (await create("E2E-CANCEL", 2)).order;
      const id = created?.id ?? "";
      await eventually(
        () => order(id),
        (o) => o?.status === OrderStatus.CONFIRMED,
      );
      const cancelled = (await c.order.cancelOrder({ id })).order;
      expect(cancelled?.status).toBe(OrderStatus.CANCELLED);
      expect((await shipmentsOf(id)).map((s) => s.status)).toEqual([ShipmentStatus.CANCELLED]);
      expect((await invoicesOf(id)).map((i) => i.status)).toEqual([InvoiceStatus.VOID]);
      expect(await item("E2E-CANCEL")).toMatchObject({ onHand: 5n, reserved: 0n });
      expect((await c.order.cancelOrder({ id })).order?.status).toBe(OrderStatus.CANCELLED);
    });

    it("when inventory is down at creation, then PENDING, and CONFIRMED after it returns without any client call", async () => {
      await stockItem("E2E-DOWN", 5);
      await stack.stopService("inventory");
      try {
        const created = (await create("E2E-DOWN", 1)).order;
        expect(created?.status).toBe(OrderStatus.PENDING);
      } finally {
        await stack.startService("inventory");
      }
      const [pending] = (await c.order.listOrders({ customerId: "cust-e2e", pageSize: 1 })).orders;
      const confirmed = await eventually(
        () => order(pending?.id ?? ""),
        (o) => o?.status === OrderStatus.CONFIRMED,
        30_000,
      );
      expect(await invoicesOf(confirmed?.id ?? "")).toHaveLength(1);
      expect(await shipmentsOf(confirmed?.id ?? "")).toHaveLength(1);
    });

    it("when the input is bad, then a clear 400/404 naming the problem, and no order", async () => {
      const url = `${stack.httpUrl("order")}/v1/orders`;
      const post = (body: string, headers: Record<string, string> = { "idempotency-key": key() }) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      const valid = {
        customer_id: "cust-bad",
        lines: [{ sku: "E2E-HAPPY", quantity: 1 }],
        shipping_address: httpAddress,
      };
      const cases: [string, Response, number, string][] = [
        ["no lines", await post(JSON.stringify({ ...valid, lines: [] })), 400, "lines"],
        [
          "zero quantity",
          await post(JSON.stringify({ ...valid, lines: [{ sku: "E2E-HAPPY", quantity: 0 }] })),
          400,
          "quantity",
        ],
        [
          "unknown SKU",
          await post(JSON.stringify({ ...valid, lines: [{ sku: "NO-SUCH-SKU", quantity: 1 }] })),
          404,
          "NO-SUCH-SKU",
        ],
        ["missing key", await post(JSON.stringify(valid), {}), 400, "idempotency"],
        ["malformed body", await post("{not json"), 400, "body"],
      ];
      for (const [name, response, status, mention] of cases) {
        const problem = (await response.json()) as Record<string, unknown>;
        expect({ name, status: response.status }).toEqual({ name, status });
        expect(response.headers.get("content-type")).toContain("application/problem+json");
        expect(JSON.stringify(problem)).toContain(mention);
      }
      expect((await c.order.listOrders({ customerId: "cust-bad" })).orders).toEqual([]);
    });
  });
}

describe("order saga with an invoice service that refuses the currency", () => {
  let stack: Stack;
  let c: ReturnType<Stack["clients"]>;
  beforeAll(async () => {
    stack = await Stack.start("pglite", { invoice: { INVOICE_CURRENCIES: "USD" } });
    c = stack.clients();
  });
  afterAll(() => stack?.stop());

  it("when invoicing fails permanently, then FAILED with the order's reason, reservation released, no live shipment", async () => {
    await c.inventory.upsertItem({
      sku: "E2E-EUR",
      name: "priced in EUR",
      unitPrice: { currencyCode: "EUR", amountMinor: 500n },
    });
    await c.inventory.adjustStock({ sku: "E2E-EUR", delta: 4n, reason: "e2e", adjustmentId: "seed-eur" });
    const created = (
      await c.order.createOrder(
        { customerId: "cust-fail", lines: [{ sku: "E2E-EUR", quantity: 2n }], shippingAddress: address },
        { idempotencyKey: key() },
      )
    ).order;
    expect(created).toMatchObject({ status: OrderStatus.FAILED, statusReason: "CURRENCY_NOT_ACCEPTED" });
    expect((await c.inventory.getItem({ sku: "E2E-EUR" })).item).toMatchObject({ onHand: 4n, reserved: 0n });
    // Invoice and shipment run at once, so a shipment may exist; compensation must have cancelled it.
    const { shipments } = await c.fulfillment.listShipments({ orderId: created?.id ?? "" });
    expect(shipments.filter((s) => s.status !== ShipmentStatus.CANCELLED)).toEqual([]);
    expect((await c.invoice.listInvoices({ orderId: created?.id ?? "" })).invoices).toEqual([]);
  });
});
