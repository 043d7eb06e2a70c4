import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService } from "@orderly/contracts/order";
import { describe, expect, it, vi } from "vitest";
import { AppError, Code } from "../errors/index.ts";
import { runOutsideCall } from "./incoming-call-scope.ts";
import {
  aborted,
  client,
  fakeInventory,
  fakeOrders,
  metricValue,
  startServer,
  testKit,
  unavailable,
} from "./test-harness.ts";

const INVENTORY = "orderly.inventory.v1.InventoryService";

describe("createGrpcClient retries", () => {
  it("when an idempotent call meets UNAVAILABLE, then it is retried and succeeds", async () => {
    const kit = testKit();
    let attempts = 0;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            attempts++;
            if (attempts < 3) throw unavailable();
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const response = await inventory.getItem({ sku: "W-1" });

    expect(response.item?.sku).toBe("W-1");
    expect(attempts).toBe(3);
    expect(await metricValue(kit.metrics, "rpc_client_retries_total", { rpc_method: "GetItem" })).toBe(2);
  });

  it("when a non-idempotent call without a key meets UNAVAILABLE, then it is not retried", async () => {
    const kit = testKit();
    let attempts = 0;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async adjustStock() {
            attempts++;
            throw unavailable();
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const error = await inventory
      .adjustStock({ sku: "W-1", delta: 5n, reason: "count" })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: Code.UNAVAILABLE, reason: "TEMPORARILY_UNAVAILABLE" });
    expect(attempts).toBe(1);
    expect(await metricValue(kit.metrics, "rpc_client_retries_total", { rpc_method: "AdjustStock" })).toBe(0);
  });

  it("when the same non-idempotent call carries an idempotency key, then it is retried with the key", async () => {
    const kit = testKit();
    const keys: (string | undefined)[] = [];
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async adjustStock(request, ctx) {
            keys.push(ctx.idempotencyKey);
            if (keys.length < 2) throw unavailable();
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const response = await inventory.adjustStock(
      { sku: "W-1", delta: 5n, reason: "count", adjustmentId: "adj-1" },
      { idempotencyKey: "adj-1" },
    );

    expect(response.item?.sku).toBe("W-1");
    expect(keys).toEqual(["adj-1", "adj-1"]);
  });

  it("when an idempotent call keeps failing with a domain error, then it is not retried", async () => {
    const kit = testKit();
    let attempts = 0;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem() {
            attempts++;
            throw new AppError({ code: Code.NOT_FOUND, reason: "ITEM_NOT_FOUND", message: "no such item" });
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const error = await inventory.getItem({ sku: "nope" }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: Code.NOT_FOUND, reason: "ITEM_NOT_FOUND", message: "no such item" });
    expect(attempts).toBe(1);
  });
});

describe("createGrpcClient failures", () => {
  it("when nothing listens at the target, then the call fails UNAVAILABLE with reason PEER_UNAVAILABLE", async () => {
    const kit = testKit();
    const inventory = client(kit, InventoryService, "127.0.0.1:1");

    const error = await inventory.getItem({ sku: "W-1" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: Code.UNAVAILABLE, reason: "PEER_UNAVAILABLE" });
    expect(
      await metricValue(kit.metrics, "rpc_client_duration_seconds", {
        rpc_service: INVENTORY,
        rpc_method: "GetItem",
        rpc_grpc_status_code: "14",
      }),
    ).toBe(1);
  });

  it("when the deadline passes, then the caller gets DEADLINE_EXCEEDED and the handler's signal aborts", async () => {
    const kit = testKit();
    let handlerAbort: Promise<unknown> | undefined;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(_request, ctx) {
            handlerAbort = aborted(ctx.signal).then(() => ctx.signal.reason);
            await handlerAbort;
            return {};
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);
    await inventory.listItems({}).catch(() => undefined); // connect first, so the deadline is spent in the handler

    const error = await inventory.getItem({ sku: "W-1" }, { deadlineMs: 100 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: Code.DEADLINE_EXCEEDED, reason: "DEADLINE_EXCEEDED" });
    await vi.waitFor(() => expect(handlerAbort).toBeDefined());
    // The server learns of the expiry from its own timer (grpc-timeout counted from when the call
    // arrived) or from the caller's RST_STREAM at the caller's deadline, whichever comes first; the
    // caller's fires first when the call took a while to arrive, and the stream then says only
    // "cancelled". Either way the handler is stopped, with one of those two reasons.
    const reason = (await handlerAbort) as { code: Code };
    expect([Code.DEADLINE_EXCEEDED, Code.CANCELLED]).toContain(reason.code);
  });

  it("when the caller aborts its signal, then the call rejects CANCELLED and the handler's signal aborts", async () => {
    const kit = testKit();
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let handlerAbort: Promise<void> | undefined;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(_request, ctx) {
            handlerAbort = aborted(ctx.signal);
            entered();
            await handlerAbort;
            return {};
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);
    const controller = new AbortController();

    const call = inventory.getItem({ sku: "W-1" }, { signal: controller.signal }).catch((e: unknown) => e);
    await inHandler;
    controller.abort();

    expect(await call).toMatchObject({ code: Code.CANCELLED });
    await expect(handlerAbort).resolves.toBeUndefined();
  });
});

describe("createGrpcClient deadline propagation", () => {
  it("when A serves a call with a 300 ms deadline and calls B, then B's budget is within the caller's", async () => {
    const kit = testKit();
    const seenByB: { deadline: Date | undefined; budgetMs: number }[] = [];
    const b = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request, ctx) {
            seenByB.push({
              deadline: ctx.deadline,
              budgetMs: (ctx.deadline?.getTime() ?? Infinity) - Date.now(),
            });
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    // A's own default deadline is 10 s: only propagation can bring B's budget down to 300 ms.
    const inventoryFromA = client(kit, InventoryService, b.target, { defaultDeadlineMs: 10_000 });
    const a = await startServer(kit, (s) =>
      s.add(OrderService, {
        ...fakeOrders({}),
        async getOrder(request) {
          const { item } = await inventoryFromA.getItem({ sku: request.id });
          return { order: { id: item?.sku ?? "" } };
        },
      }),
    );
    const orders = client(kit, OrderService, a.target);
    await orders.getOrder({ id: "warm-up" }); // connect both hops first

    const callerDeadline = new Date(Date.now() + 300);
    await orders.getOrder({ id: "o-1" }, { deadline: callerDeadline });

    const viaCaller = seenByB[1];
    expect(viaCaller?.deadline).toBeInstanceOf(Date);
    // Each hop re-anchors a relative grpc-timeout on arrival, so compare budgets, not clock readings:
    // what B had left can never exceed what the caller granted.
    expect(viaCaller?.budgetMs).toBeLessThanOrEqual(300);
    expect(seenByB[0]?.budgetMs).toBeGreaterThan(5_000);
  });
});

describe("createGrpcClient detached work", () => {
  it("when a handler starts work with runOutsideCall, then that work's calls keep their own deadline", async () => {
    const kit = testKit();
    const budgets: number[] = [];
    const b = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request, ctx) {
            budgets.push((ctx.deadline?.getTime() ?? Infinity) - Date.now());
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventoryFromA = client(kit, InventoryService, b.target, { defaultDeadlineMs: 10_000 });
    let background: Promise<unknown> | undefined;
    const a = await startServer(kit, (s) =>
      s.add(OrderService, {
        ...fakeOrders({}),
        async createOrder() {
          background = runOutsideCall(() => inventoryFromA.getItem({ sku: "W-1" }));
          return { order: { id: "o-1" } };
        },
      }),
    );
    const orders = client(kit, OrderService, a.target);

    await orders.createOrder({ customerId: "c-1" }, { deadlineMs: 2_000 });
    await background;

    expect(budgets).toHaveLength(1);
    expect(budgets[0]).toBeGreaterThan(5_000);
  });
});

describe("createGrpcClient circuit breaker", () => {
  it("when a peer keeps failing, then the circuit opens, fails fast without the network, and a probe closes it", async () => {
    const kit = testKit();
    let attempts = 0;
    let healthy = false;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            attempts++;
            if (!healthy) throw unavailable();
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target, {
      peer: "flaky",
      retry: false,
      breaker: { failureThreshold: 2, openMs: 50 },
    });
    const state = () => metricValue(kit.metrics, "rpc_client_circuit_state", { peer: "flaky" });

    for (let i = 0; i < 2; i++) {
      await expect(inventory.getItem({ sku: "W-1" })).rejects.toMatchObject({
        reason: "TEMPORARILY_UNAVAILABLE",
      });
    }
    expect(await state()).toBe(1);
    await expect(inventory.getItem({ sku: "W-1" })).rejects.toMatchObject({
      code: Code.UNAVAILABLE,
      reason: "CIRCUIT_OPEN",
    });
    expect(attempts).toBe(2);

    healthy = true;
    // Fails fast until openMs has passed; then one probe reaches the server and closes the circuit.
    await vi.waitFor(() => inventory.getItem({ sku: "W-1" }), { timeout: 5_000, interval: 10 });
    expect(attempts).toBe(3);
    expect(await state()).toBe(0);
  });
});
