import { fileURLToPath } from "node:url";
import { type Database, openDatabase, uuidv7 } from "@orderly/kit/db";
import { AppError, Code } from "@orderly/kit/errors";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KyselyOrderStore } from "../src/data/order.store.ts";
import type { OrderDatabase } from "../src/data/schema.ts";
import { cancelOrder } from "../src/domain/cancel-order.use-case.ts";
import { createOrder } from "../src/domain/create-order.use-case.ts";
import type { CreateOrderRequest } from "../src/domain/order-request.ts";
import type { FulfillmentPort, InventoryPort, InvoicePort } from "../src/domain/ports.ts";
import { recordShipmentEvent } from "../src/domain/record-shipment-event.use-case.ts";
import { OrderSaga } from "../src/domain/saga/order-saga.ts";
import { silentObserver } from "../src/domain/saga/saga-observer.ts";

const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date() };
const usd = (amountMinor: number) => ({ currency: "USD", amountMinor });

/** Peers that record every call and answer as each test tells them. */
function fakePeers() {
  const calls: string[] = [];
  const state = { stock: 10, invoiceError: undefined as AppError | undefined, inventoryDown: false };
  const inventory: InventoryPort = {
    findUnknownSkus: async (skus) => skus.filter((s) => s === "NOPE"),
    reserve: async (id, lines) => {
      calls.push(`reserve ${id}`);
      if (state.inventoryDown)
        throw new AppError({ code: Code.UNAVAILABLE, reason: "PEER_UNAVAILABLE", message: "down" });
      const wanted = lines.reduce((n, l) => n + l.quantity, 0);
      if (wanted > state.stock) {
        throw new AppError({
          code: Code.FAILED_PRECONDITION,
          reason: "INSUFFICIENT_STOCK",
          message: "short",
        });
      }
      return lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: usd(250) }));
    },
    release: async (id) => void calls.push(`release ${id}`),
    commit: async (id) => void calls.push(`commit ${id}`),
  };
  const invoice: InvoicePort = {
    issue: async (input) => {
      calls.push(`issue ${input.orderId}`);
      if (state.invoiceError) throw state.invoiceError;
      const subtotal = input.lines.reduce((n, l) => n + l.unitPrice.amountMinor * l.quantity, 0);
      return {
        invoiceId: `inv-${input.orderId}`,
        totals: { subtotal: usd(subtotal), tax: usd(0), total: usd(subtotal) },
      };
    },
    voidForOrder: async (orderId) => void calls.push(`void ${orderId}`),
  };
  const fulfillment: FulfillmentPort = {
    createShipment: async (input) => {
      calls.push(`ship ${input.orderId}`);
      return { shipmentId: `shp-${input.orderId}` };
    },
    cancelForOrder: async (orderId) => void calls.push(`cancel-shipment ${orderId}`),
  };
  return { calls, state, inventory, invoice, fulfillment };
}

const request: CreateOrderRequest = {
  customerId: "cust-1",
  lines: [{ sku: "MUG-1", quantity: 2 }],
  shippingAddress: {
    name: "Ada",
    line1: "1 Loop",
    line2: "",
    city: "Berlin",
    postalCode: "10115",
    countryCode: "DE",
  },
};

for (const kind of testDatabaseKinds()) {
  describe(`order saga (${kind})`, () => {
    let testDb: TestDatabase;
    let database: Database<OrderDatabase>;
    let store: KyselyOrderStore;
    let peers: ReturnType<typeof fakePeers>;
    let saga: OrderSaga;
    const soon = () => new Date(Date.now() + 5000);
    const deps = () => ({
      store,
      inventory: peers.inventory,
      saga,
      clock,
      newId: uuidv7,
      lease: { owner: "r1", leaseMs: 5000 },
    });

    // One database per kind (a fresh PGlite takes seconds); tests use their own keys and customers.
    beforeAll(async () => {
      testDb = await createTestDatabase(kind, "saga");
      database = await openDatabase<OrderDatabase>({ url: testDb.url, migrationsFolder });
      await database.migrate();
      store = new KyselyOrderStore(database, clock);
    });
    afterAll(async () => {
      await database?.close();
      await testDb?.drop();
    });

    beforeEach(() => {
      peers = fakePeers();
      saga = new OrderSaga({
        store,
        inventory: peers.inventory,
        invoice: peers.invoice,
        fulfillment: peers.fulfillment,
        clock,
        observer: silentObserver,
        log: quiet,
        owner: "r1",
        leaseMs: 5000,
        backoff: { initialMs: 1, maxMs: 5 },
      });
    });
    it("when every step succeeds, then the order is CONFIRMED with the invoice's totals and each step ran once", async () => {
      const order = await createOrder(deps(), request, "key-1", soon());
      expect(order.status).toBe("CONFIRMED");
      expect(order.totals?.total).toEqual(usd(500));
      expect(order.lines[0]?.unitPrice).toEqual(usd(250));
      expect(peers.calls).toEqual([`reserve ${order.id}:reserve`, `issue ${order.id}`, `ship ${order.id}`]);
    });

    it("when the same key and request come again, then the original order returns and nothing runs twice", async () => {
      const first = await createOrder(deps(), request, "key-2", soon());
      const again = await createOrder(deps(), request, "key-2", soon());
      expect(again.id).toBe(first.id);
      expect(peers.calls).toHaveLength(3);
    });

    it("when the key is reused with a different request, then IDEMPOTENCY_KEY_REUSED and no new order", async () => {
      const mine = { ...request, customerId: "cust-reuse" };
      await createOrder(deps(), mine, "key-3", soon());
      const other = { ...mine, lines: [{ sku: "MUG-1", quantity: 3 }] };
      await expect(createOrder(deps(), other, "key-3", soon())).rejects.toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "IDEMPOTENCY_KEY_REUSED",
      });
      expect((await store.listOrders("cust-reuse", 10, undefined)).items).toHaveLength(1);
    });

    it("when stock is short, then REJECTED with INSUFFICIENT_STOCK and nothing else is called", async () => {
      peers.state.stock = 1;
      const order = await createOrder(deps(), request, "key-4", soon());
      expect(order).toMatchObject({ status: "REJECTED", statusReason: "INSUFFICIENT_STOCK" });
      expect(peers.calls).toEqual([`reserve ${order.id}:reserve`]);
    });

    it("when invoicing fails permanently, then FAILED with the reason, stock released, no shipment", async () => {
      peers.state.invoiceError = new AppError({
        code: Code.FAILED_PRECONDITION,
        reason: "UNSUPPORTED_CURRENCY",
        message: "no USD",
      });
      const order = await createOrder(deps(), request, "key-5", soon());
      expect(order).toMatchObject({ status: "FAILED", statusReason: "UNSUPPORTED_CURRENCY" });
      expect(peers.calls).toEqual([
        `reserve ${order.id}:reserve`,
        `issue ${order.id}`,
        `void ${order.id}`,
        `release ${order.id}:reserve`,
      ]);
    });

    it("when inventory is down, then PENDING, and the worker confirms it once inventory is back", async () => {
      peers.state.inventoryDown = true;
      const order = await createOrder(deps(), request, "key-6", soon());
      expect(order.status).toBe("PENDING");
      peers.state.inventoryDown = false;
      let current = order;
      for (let i = 0; i < 100 && current.status === "PENDING"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await saga.runDue(10);
        current = (await store.findOrder(order.id)) ?? current;
      }
      expect(current.status).toBe("CONFIRMED");
      expect(peers.calls.filter((c) => c.startsWith("issue"))).toHaveLength(1);
    });

    it("when a confirmed order is cancelled, then CANCELLED after cancelling shipment, voiding invoice, releasing stock", async () => {
      const order = await createOrder(deps(), request, "key-7", soon());
      const cancelled = await cancelOrder({ store, saga }, order.id, soon());
      expect(cancelled).toMatchObject({ status: "CANCELLED", statusReason: "CANCELLED_BY_CUSTOMER" });
      expect(peers.calls.slice(3)).toEqual([
        `cancel-shipment ${order.id}`,
        `void ${order.id}`,
        `release ${order.id}:reserve`,
      ]);
      expect((await cancelOrder({ store, saga }, order.id, soon())).status).toBe("CANCELLED");
    });

    it("when shipment events arrive (twice each), then SHIPPED commits stock once and DELIVERED ends the order", async () => {
      const order = await createOrder(deps(), request, "key-8", soon());
      const event = (eventId: string, status: "SHIPPED" | "DELIVERED") => ({
        eventId,
        orderId: order.id,
        shipmentId: `shp-${order.id}`,
        status,
      });
      const eventDeps = { store, clock, observer: silentObserver, wake: (id: string) => void saga.drive(id) };
      expect(await recordShipmentEvent(eventDeps, event("e1", "SHIPPED"))).toEqual({ duplicate: false });
      expect(await recordShipmentEvent(eventDeps, event("e1", "SHIPPED"))).toEqual({ duplicate: true });
      await saga.drive(order.id);
      expect((await store.findOrder(order.id))?.status).toBe("SHIPPED");
      await recordShipmentEvent(eventDeps, event("e2", "DELIVERED"));
      await saga.drive(order.id);
      expect((await store.findOrder(order.id))?.status).toBe("DELIVERED");
      expect(peers.calls.filter((c) => c.startsWith("commit"))).toEqual([`commit ${order.id}:reserve`]);
      await expect(cancelOrder({ store, saga }, order.id, soon())).rejects.toMatchObject({
        reason: "ORDER_NOT_CANCELLABLE",
      });
    });

    it("when a line names an unknown SKU, then NOT_FOUND SKU_NOT_FOUND and no order", async () => {
      const bad = { ...request, customerId: "cust-unknown-sku", lines: [{ sku: "NOPE", quantity: 1 }] };
      await expect(createOrder(deps(), bad, "key-9", soon())).rejects.toMatchObject({
        code: Code.NOT_FOUND,
        reason: "SKU_NOT_FOUND",
      });
      expect((await store.listOrders("cust-unknown-sku", 10, undefined)).items).toHaveLength(0);
    });
  });
}
