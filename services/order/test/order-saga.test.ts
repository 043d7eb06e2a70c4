import { fileURLToPath } from "node:url";
import { type Database, openDatabase, uuidv7 } from "@orderly/kit/db";
import { AppError, Code } from "@orderly/kit/errors";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KyselyOrderRepository } from "../src/data/order.repository.ts";
import { KyselySagaRepository } from "../src/data/saga.repository.ts";
import type { OrderDatabase } from "../src/data/schema.ts";
import { shipmentEventInbox } from "../src/data/shipment-event.inbox.ts";
import type { CreateOrderRequest } from "../src/domain/create-order-request.ts";
import type { Order } from "../src/domain/order.ts";
import type { FulfillmentPort } from "../src/domain/ports/fulfillment.port.ts";
import type { InventoryPort } from "../src/domain/ports/inventory.port.ts";
import type { InvoicePort } from "../src/domain/ports/invoice.port.ts";
import type { OrderChanges } from "../src/domain/ports/order-changes.port.ts";
import { silentObserver } from "../src/domain/ports/saga-observer.port.ts";
import { OrderSaga } from "../src/domain/saga/order-saga.ts";
import { VALID_CREATE_ORDER_REQUEST } from "../src/domain/testing/create-order-request.fixture.ts";
import { makeCancelOrder } from "../src/domain/use-cases/cancel-order.use-case.ts";
import { type CreateOrderDeps, makeCreateOrder } from "../src/domain/use-cases/create-order.use-case.ts";
import { makeRecordShipmentEvent } from "../src/domain/use-cases/record-shipment-event.use-case.ts";

const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => new Date() };
const usd = (amountMinor: number) => ({ currency: "USD", amountMinor });
const unavailable = () =>
  new AppError({ code: Code.UNAVAILABLE, reason: "PEER_UNAVAILABLE", message: "down" });
/** No change feed in these tests: waits fall back to re-reading, which is what a missed notice does. */
const noChanges: OrderChanges = { subscribe: () => () => undefined };

/** Peers that record every call and answer as each test tells them. */
function fakePeers() {
  const calls: string[] = [];
  const state = {
    stock: 10,
    invoice: "ok" as "ok" | "refuse" | "down",
    inventoryDown: false,
    shipped: false,
  };
  const inventory: InventoryPort = {
    reserve: async (id, lines) => {
      calls.push(`reserve ${id}`);
      if (state.inventoryDown) throw unavailable();
      if (lines.some((l) => l.sku === "NOPE"))
        return { kind: "rejected", reason: "SKU_NOT_FOUND", skus: ["NOPE"] };
      const wanted = lines.reduce((n, l) => n + l.quantity, 0);
      if (wanted > state.stock)
        return { kind: "rejected", reason: "OUT_OF_STOCK", skus: lines.map((l) => l.sku) };
      return {
        kind: "reserved",
        lines: lines.map((l) => ({ sku: l.sku, name: `Item ${l.sku}`, unitPrice: usd(250) })),
      };
    },
    release: async (id) => void calls.push(`release ${id}`),
    commit: async (id) => {
      calls.push(`commit ${id}`);
      return "committed";
    },
  };
  const invoice: InvoicePort = {
    issue: async (input) => {
      calls.push(`issue ${input.orderId} ${input.lines.map((l) => l.description).join(",")}`);
      if (state.invoice === "down") throw unavailable();
      if (state.invoice === "refuse")
        return { kind: "rejected", reason: "CURRENCY_NOT_ACCEPTED", message: "no USD" };
      const subtotal = input.lines.reduce((n, l) => n + l.unitPrice.amountMinor * l.quantity, 0);
      return {
        kind: "issued",
        invoiceId: `inv-${input.orderId}`,
        totals: { subtotal: usd(subtotal), tax: usd(0), total: usd(subtotal) },
      };
    },
    voidForOrder: async (orderId) => {
      calls.push(`void ${orderId}`);
      return "voided";
    },
  };
  const fulfillment: FulfillmentPort = {
    createShipment: async (input) => {
      calls.push(`ship ${input.orderId}`);
      return { kind: "created", shipmentId: `shp-${input.orderId}` };
    },
    cancelForOrder: async (orderId) => {
      calls.push(`cancel-shipment ${orderId}`);
      return state.shipped ? "already-shipped" : "cancelled";
    },
  };
  return { calls, state, inventory, invoice, fulfillment };
}

const request = VALID_CREATE_ORDER_REQUEST;

for (const kind of testDatabaseKinds()) {
  describe(`order saga (${kind})`, () => {
    let testDb: TestDatabase;
    let database: Database<OrderDatabase>;
    let orders: KyselyOrderRepository;
    let sagas: KyselySagaRepository;
    let peers: ReturnType<typeof fakePeers>;
    let saga: OrderSaga;
    const soon = () => new Date(Date.now() + 5000);
    const lease =
      (owner = "r1", ms = 5000) =>
      () => ({ owner, until: new Date(Date.now() + ms) });
    const onBackgroundError = () => undefined;
    /** CreateOrder as replica r1 runs it, or with some of its dependencies replaced. */
    const createOrderVia = (overrides: Partial<CreateOrderDeps> = {}) =>
      makeCreateOrder({
        orders,
        changes: noChanges,
        saga,
        clock,
        schedule: clock,
        newId: uuidv7,
        lease: lease(),
        onBackgroundError,
        ...overrides,
      });
    /** A replica that stores the order, then never drives it (it died, or has not got to it yet). */
    const neverDriven = { driveNew: () => new Promise(() => undefined) } as unknown as OrderSaga;
    const createOrder = (req: CreateOrderRequest, key: string, respondAsync = false) =>
      createOrderVia()(req, key, { until: soon(), respondAsync });
    const cancelOrder = (id: string) =>
      makeCancelOrder({ orders, changes: noChanges, saga, schedule: clock, onBackgroundError })(id, soon());
    const recordShipmentEvent = () =>
      makeRecordShipmentEvent({
        inbox: shipmentEventInbox(database),
        clock,
        schedule: clock,
        observer: silentObserver,
        wake: (id) => void saga.drive(id),
      });
    const forwardCalls = (order: Order) =>
      [`reserve ${order.id}:reserve`, `issue ${order.id} Item MUG-1`, `ship ${order.id}`].sort();
    const until = async (id: string, done: (o: Order) => boolean) => {
      let current = await orders.findById(id);
      for (let i = 0; i < 200 && current && !done(current); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await saga.runDue(10);
        current = await orders.findById(id);
      }
      return current;
    };

    // One database per kind (a fresh PGlite takes seconds); tests use their own keys and customers.
    beforeAll(async () => {
      testDb = await createTestDatabase(kind, "saga");
      database = await openDatabase<OrderDatabase>({ url: testDb.url, migrationsFolder });
      await database.migrate();
      orders = new KyselyOrderRepository(database.db);
      sagas = new KyselySagaRepository(database);
    });
    afterAll(async () => {
      await database?.close();
      await testDb?.drop();
    });

    beforeEach(() => {
      peers = fakePeers();
      saga = new OrderSaga({
        sagas,
        peers,
        clock,
        schedule: clock,
        observer: silentObserver,
        log: quiet,
        owner: "r1",
        leaseMs: 5000,
        backoff: { initialMs: 1, maxMs: 5 },
      });
    });

    it("when every step succeeds, then CONFIRMED with the invoice's totals, item names, and each step ran once", async () => {
      const order = await createOrder(request, "key-1");
      expect(order.status).toBe("CONFIRMED");
      expect(order.totals?.total).toEqual(usd(500));
      expect(order.lines[0]).toMatchObject({ name: "Item MUG-1", unitPrice: usd(250), lineTotal: usd(500) });
      expect([...peers.calls].sort()).toEqual(forwardCalls(order));
      expect(await orders.findById(order.id)).toMatchObject({
        status: "CONFIRMED",
        invoiceId: `inv-${order.id}`,
      });
      expect(await sagas.load(order.id)).toMatchObject({ saga: { phase: "DONE" } });
    });

    it("when the same key and request come again, then the original order returns and nothing runs twice", async () => {
      const first = await createOrder(request, "key-2");
      const again = await createOrder(request, "key-2");
      expect(again).toMatchObject({ id: first.id, status: "CONFIRMED" });
      expect(peers.calls).toHaveLength(3);
    });

    it("when the key is reused with a different request, then IDEMPOTENCY_KEY_REUSED and no new order", async () => {
      const mine = { ...request, customerId: "cust-reuse" };
      await createOrder(mine, "key-3");
      const other = { ...mine, lines: [{ sku: "MUG-1", quantity: 3 }] };
      await expect(createOrder(other, "key-3")).rejects.toMatchObject({
        code: Code.FAILED_PRECONDITION,
        reason: "IDEMPOTENCY_KEY_REUSED",
      });
      expect(await orders.listByCustomer("cust-reuse", 10, undefined)).toHaveLength(1);
    });

    it("when stock is short, then REJECTED with OUT_OF_STOCK and nothing else is called", async () => {
      peers.state.stock = 1;
      const order = await createOrder(request, "key-4");
      expect(order).toMatchObject({ status: "REJECTED", statusReason: "OUT_OF_STOCK" });
      expect(peers.calls).toEqual([`reserve ${order.id}:reserve`]);
    });

    it("when invoicing refuses for good, then FAILED with the order's reason after undoing all in reverse", async () => {
      peers.state.invoice = "refuse";
      const order = await createOrder(request, "key-5");
      expect(order).toMatchObject({ status: "FAILED", statusReason: "CURRENCY_NOT_ACCEPTED" });
      expect(peers.calls.slice(0, 3).sort()).toEqual(forwardCalls(order));
      expect(peers.calls.slice(3)).toEqual([
        `cancel-shipment ${order.id}`,
        `void ${order.id}`,
        `release ${order.id}:reserve`,
      ]);
    });

    it("when inventory is down, then PENDING, and the worker confirms it once inventory is back", async () => {
      peers.state.inventoryDown = true;
      const order = await createOrder(request, "key-6");
      expect(order.status).toBe("PENDING");
      peers.state.inventoryDown = false;
      expect((await until(order.id, (o) => o.status !== "PENDING"))?.status).toBe("CONFIRMED");
      expect(peers.calls.filter((c) => c.startsWith("issue"))).toHaveLength(1);
    });

    it("when invoicing is down after stock was held, then the worker finishes with no second reservation effect", async () => {
      peers.state.invoice = "down";
      const order = await createOrder(request, "key-6b");
      expect(order.status).toBe("PENDING");
      peers.state.invoice = "ok";
      expect((await until(order.id, (o) => o.status !== "PENDING"))?.status).toBe("CONFIRMED");
      // The shipment and reservation were stored with the pause, so only the invoice ran again.
      expect(peers.calls.filter((c) => c.startsWith("reserve") || c.startsWith("ship"))).toHaveLength(2);
    });

    it("when the client does not wait, then PENDING at once and the saga confirms it in the background", async () => {
      const order = await createOrder({ ...request, customerId: "cust-async" }, "key-async", true);
      expect(order.status).toBe("PENDING");
      expect((await until(order.id, (o) => o.status !== "PENDING"))?.status).toBe("CONFIRMED");
    });

    it("when the replica that created an order dies before driving it, then another replica's worker confirms it", async () => {
      const dead = createOrderVia({ saga: neverDriven, lease: lease("dead-replica", -1) });
      const pending = await dead({ ...request, customerId: "cust-orphan" }, "key-orphan", {
        until: new Date(Date.now() + 50),
        respondAsync: false,
      });
      expect(pending.status).toBe("PENDING");
      expect((await until(pending.id, (o) => o.status !== "PENDING"))?.status).toBe("CONFIRMED");
    });

    it("when a replica's host clock is an hour ahead, then it takes no live replica's saga and parks none out of reach", async () => {
      const hourAhead = { now: () => new Date(Date.now() + 3_600_000) };
      const replica = (owner: string, schedule: { now(): Date }) =>
        new OrderSaga({
          sagas,
          peers,
          clock: hourAhead,
          schedule,
          observer: silentObserver,
          log: quiet,
          owner,
          leaseMs: 5000,
          backoff: { initialMs: 1, maxMs: 5 },
        });
      // r1 holds the saga (alive, lease 5 s) but has not driven it yet.
      const held = await createOrderVia({ saga: neverDriven, lease: lease("r1", 5000) })(
        { ...request, customerId: "cust-skew" },
        "key-skew",
        { until: new Date(), respondAsync: true },
      );
      // On the shared schedule the jumped host sees r1's lease as live...
      expect(await replica("r2", clock).drive(held.id)).toBeUndefined();
      // ...where its own wall clock would have taken it over (the defect this guards against).
      const stolen = await replica("r3", hourAhead).drive(held.id);
      expect(stolen?.order.status).toBe("CONFIRMED");

      // A retry the jumped host schedules is due on the shared schedule, so r1's worker finishes it.
      peers.state.inventoryDown = true;
      const paused = await createOrderVia({
        saga: replica("r2", clock),
        clock: hourAhead,
        lease: lease("r2", 5000),
      })({ ...request, customerId: "cust-skew-2" }, "key-skew-2", { until: soon(), respondAsync: false });
      expect(paused.status).toBe("PENDING");
      peers.state.inventoryDown = false;
      expect((await until(paused.id, (o) => o.status !== "PENDING"))?.status).toBe("CONFIRMED");
    });

    it("when a confirmed order is cancelled, then CANCELLED after cancelling shipment, voiding invoice, releasing stock", async () => {
      const order = await createOrder(request, "key-7");
      const cancelled = await cancelOrder(order.id);
      expect(cancelled).toMatchObject({ status: "CANCELLED", statusReason: "CANCELLED_BY_CUSTOMER" });
      expect(peers.calls.slice(3)).toEqual([
        `cancel-shipment ${order.id}`,
        `void ${order.id}`,
        `release ${order.id}:reserve`,
      ]);
      expect((await cancelOrder(order.id)).status).toBe("CANCELLED");
    });

    it("when the parcel already left as a cancel arrives, then the order stays CONFIRMED and nothing is undone", async () => {
      const order = await createOrder(request, "key-7b");
      peers.state.shipped = true;
      const after = await cancelOrder(order.id);
      expect(after).toMatchObject({ status: "CONFIRMED", cancelRequested: false });
      expect(peers.calls.slice(3)).toEqual([`cancel-shipment ${order.id}`]);
    });

    it("when shipment events arrive (twice each), then SHIPPED commits stock once and DELIVERED ends the order", async () => {
      const order = await createOrder(request, "key-8");
      const record = recordShipmentEvent();
      const event = (eventId: string, status: "SHIPPED" | "DELIVERED") => ({
        eventId,
        orderId: order.id,
        shipmentId: `shp-${order.id}`,
        status,
      });
      expect(await record(event("e1", "SHIPPED"))).toEqual({ duplicate: false });
      expect(await record(event("e1", "SHIPPED"))).toEqual({ duplicate: true });
      await saga.drive(order.id);
      expect((await orders.findById(order.id))?.status).toBe("SHIPPED");
      await record(event("e2", "DELIVERED"));
      expect((await orders.findById(order.id))?.status).toBe("DELIVERED");
      expect(peers.calls.filter((c) => c.startsWith("commit"))).toEqual([`commit ${order.id}:reserve`]);
      await expect(cancelOrder(order.id)).rejects.toMatchObject({ reason: "ORDER_NOT_CANCELLABLE" });
    });

    it.each([
      ["DELIVERED before SHIPPED", "shp", "DELIVERED", "INVALID_TRANSITION"],
      ["another order's shipment", "other", "SHIPPED", "SHIPMENT_MISMATCH"],
    ] as const)(
      "when an event says %s, then FAILED_PRECONDITION %s... and the order is unchanged",
      async (_, shipment, status, reason) => {
        const order = await createOrder(request, `key-forged-${reason}`);
        const shipmentId = shipment === "shp" ? `shp-${order.id}` : "shp-someone-else";
        await expect(
          recordShipmentEvent()({ eventId: `forged-${reason}`, orderId: order.id, shipmentId, status }),
        ).rejects.toMatchObject({
          code: Code.FAILED_PRECONDITION,
          reason,
        });
        expect(await orders.findById(order.id)).toMatchObject({
          status: "CONFIRMED",
          version: order.version,
        });
      },
    );

    it("when a line names an unknown SKU, then NOT_FOUND SKU_NOT_FOUND and no order is left behind", async () => {
      const bad = { ...request, customerId: "cust-unknown-sku", lines: [{ sku: "NOPE", quantity: 1 }] };
      await expect(createOrder(bad, "key-9")).rejects.toMatchObject({
        code: Code.NOT_FOUND,
        reason: "SKU_NOT_FOUND",
      });
      expect(await orders.listByCustomer("cust-unknown-sku", 10, undefined)).toHaveLength(0);
    });

    it.each([
      ["a NUL byte in the customer id", { customerId: "a\u0000b" }, "customer_id"],
      [
        "an unassigned country code",
        { shippingAddress: { ...request.shippingAddress, countryCode: "XX" } },
        "shipping_address.country_code",
      ],
      ["a quantity over the maximum", { lines: [{ sku: "MUG-1", quantity: 1001 }] }, "lines[0].quantity"],
    ])(
      "when the request has %s, then INVALID_ARGUMENT naming the field and nothing is called",
      async (_, change, field) => {
        await expect(createOrder({ ...request, ...change }, `key-bad-${field}`)).rejects.toMatchObject({
          code: Code.INVALID_ARGUMENT,
          details: { violations: [expect.objectContaining({ field })] },
        });
        expect(peers.calls).toEqual([]);
      },
    );
  });
}
