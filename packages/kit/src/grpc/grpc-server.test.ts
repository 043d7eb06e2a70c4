import { createRegistry, fromBinary } from "@bufbuild/protobuf";
import { anyUnpack, timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { BadRequestSchema, ErrorInfoSchema } from "@orderly/contracts/google-rpc-error-details";
import { StatusSchema } from "@orderly/contracts/google-rpc-status";
import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { describe, expect, it } from "vitest";
import { rawUnary } from "../../../testkit/src/grpc/index.ts";
import { AppError, Code, notFound, validationError } from "../errors/index.ts";
import { richStatusOf } from "./error-mapping.ts";
import { GrpcServer } from "./grpc-server.ts";
import type { Client } from "./service-types.ts";
import {
  aborted,
  client,
  fakeInventory,
  fakeOrders,
  metricValue,
  startServer,
  testKit,
} from "./test-harness.ts";

const GET_ITEM = "/orderly.inventory.v1.InventoryService/GetItem";
const googleRpcTypes = createRegistry(ErrorInfoSchema, BadRequestSchema);

function reasonOf(error: grpc.ServiceError): string | undefined {
  return richStatusOf(error)?.reason;
}

describe("GrpcServer", () => {
  it("when a typed client calls a unary method, then it receives the handler's response decoded", async () => {
    const kit = testKit();
    const updatedAt = new Date("2026-01-02T03:04:05.000Z");
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            return {
              item: {
                sku: request.sku,
                name: "Widget",
                unitPrice: { currencyCode: "EUR", amountMinor: 1999n },
                onHand: 7n,
                available: 5n,
                updatedAt: timestampFromDate(updatedAt),
              },
            };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const response = await inventory.getItem({ sku: "W-1" });

    expect(response.item?.sku).toBe("W-1");
    expect(response.item?.unitPrice).toMatchObject({ currencyCode: "EUR", amountMinor: 1999n });
    expect(response.item?.onHand).toBe(7n);
    expect(response.item?.updatedAt?.seconds).toBe(BigInt(updatedAt.getTime() / 1000));
  });

  it("when a handler throws an AppError, then the caller gets its code, reason, message and details", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async reserve() {
            throw new AppError({
              code: Code.FAILED_PRECONDITION,
              reason: "INSUFFICIENT_STOCK",
              message: "not enough stock for 1 line",
              details: { short: [{ sku: "W-1", available: 2 }] },
            });
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const error = await inventory.reserve({ reservationId: "o-1:reserve" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: Code.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_STOCK",
      message: "not enough stock for 1 line",
      details: { short: [{ sku: "W-1", available: 2 }] },
    });
    expect(kit.lines.find((l) => l.msg === "rpc failed" && l.rpc_method === "Reserve")).toMatchObject({
      level: "info",
      reason: "INSUFFICIENT_STOCK",
      rpc_grpc_status_code: Code.FAILED_PRECONDITION,
    });
  });

  it("when a handler throws an AppError, then grpc-status-details-bin holds a google.rpc.Status with ErrorInfo and BadRequest", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem() {
            throw validationError({ field: "sku", description: "must not be empty" });
          },
        }),
      ),
    );

    const error = (await rawUnary(target, GET_ITEM, Buffer.alloc(0))) as grpc.ServiceError;

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe("sku: must not be empty");
    // Decoded with nothing but the standard messages, as any gRPC client would.
    const status = fromBinary(StatusSchema, error.metadata.get("grpc-status-details-bin")[0] as Buffer);
    const details = status.details.map((any) => anyUnpack(any, googleRpcTypes));
    expect(status).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, message: "sku: must not be empty" });
    expect(details).toEqual([
      expect.objectContaining({
        $typeName: "google.rpc.ErrorInfo",
        reason: "VALIDATION_FAILED",
        domain: "orderly.dev",
        metadata: { field: "sku" },
      }),
      expect.objectContaining({
        $typeName: "google.rpc.BadRequest",
        fieldViolations: [expect.objectContaining({ field: "sku", description: "must not be empty" })],
      }),
    ]);
  });

  it("when a handler throws an unknown error, then the caller sees INTERNAL without its message and the cause is logged", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem() {
            throw new Error("relation items does not exist at db.internal:5432");
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    const error = await inventory.getItem({ sku: "W-1" }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: Code.INTERNAL, reason: "INTERNAL", message: "internal error" });
    expect(JSON.stringify(error)).not.toContain("db.internal");
    const line = kit.lines.find(
      (l) => l.msg === "rpc failed" && l.rpc_method === "GetItem" && l.level === "error",
    );
    expect(line?.err).toMatchObject({
      message: "relation items does not exist at db.internal:5432",
      stack: expect.stringContaining("grpc-server.test.ts"),
    });
  });

  it("when a request is not valid protobuf, then the caller gets INVALID_ARGUMENT 'malformed request message'", async () => {
    const kit = testKit();
    let handled = 0;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem() {
            handled++;
            return {};
          },
        }),
      ),
    );
    // Field 1 (sku), length-delimited, claims 5 bytes and carries 1.
    const garbage = Buffer.from([0x0a, 0x05, 0x41]);

    const error = (await rawUnary(target, GET_ITEM, garbage)) as grpc.ServiceError;

    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe("malformed request message");
    expect(reasonOf(error)).toBe("VALIDATION_FAILED");
    expect(handled).toBe(0);
  });

  it("when calls finish, then orderly_rpc_server_duration_seconds counts them by numeric status code", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            if (request.sku === "missing") throw notFound("ITEM_NOT_FOUND", "no item missing");
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    await inventory.getItem({ sku: "a" });
    await inventory.getItem({ sku: "b" });
    await inventory.getItem({ sku: "missing" }).catch(() => undefined);

    const labels = { rpc_service: "orderly.inventory.v1.InventoryService", rpc_method: "GetItem" };
    expect(
      await metricValue(kit.metrics, "rpc_server_duration_seconds", { ...labels, rpc_grpc_status_code: "0" }),
    ).toBe(2);
    expect(
      await metricValue(kit.metrics, "rpc_server_duration_seconds", { ...labels, rpc_grpc_status_code: "5" }),
    ).toBe(1);
    const served = kit.lines.filter((l) => l.msg === "rpc served" && l.rpc_method === "GetItem");
    expect(served.map((l) => l.level)).toEqual(["debug", "debug"]);
  });

  it("when a handler reads its context, then it sees the method, idempotency key and a child logger", async () => {
    const kit = testKit();
    const seen: { method?: string; key?: string | undefined } = {};
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async reserve(_request, ctx) {
            seen.method = ctx.method;
            seen.key = ctx.idempotencyKey;
            ctx.log.info("reserving");
            return {};
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);

    await inventory.reserve({ reservationId: "o-1:reserve" }, { idempotencyKey: "o-1:reserve" });

    expect(seen).toEqual({ method: "/orderly.inventory.v1.InventoryService/Reserve", key: "o-1:reserve" });
    expect(kit.lines.find((l) => l.msg === "reserving")).toMatchObject({
      rpc_service: "orderly.inventory.v1.InventoryService",
      rpc_method: "Reserve",
    });
  });

  it("when a streaming handler yields messages, then the client iterates them in order", async () => {
    const kit = testKit();
    const { target } = await startServer(kit, (s) =>
      s.add(
        OrderService,
        fakeOrders({
          async *watchOrder(request) {
            for (const status of [OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.SHIPPED]) {
              yield { order: { id: request.id, status } };
            }
          },
        }),
      ),
    );
    const orders = client(kit, OrderService, target);

    const statuses: number[] = [];
    for await (const update of orders.watchOrder({ id: "o-1" })) statuses.push(update.order?.status ?? -1);

    expect(statuses).toEqual([OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.SHIPPED]);
  });

  it("when a client stops reading a stream, then the handler's signal aborts", async () => {
    const kit = testKit();
    let handlerSawAbort: Promise<void> | undefined;
    const { target } = await startServer(kit, (s) =>
      s.add(
        OrderService,
        fakeOrders({
          async *watchOrder(request, ctx) {
            handlerSawAbort = aborted(ctx.signal);
            yield { order: { id: request.id, status: OrderStatus.PENDING } };
            await handlerSawAbort;
          },
        }),
      ),
    );
    const orders = client(kit, OrderService, target);

    for await (const update of orders.watchOrder({ id: "o-1" })) {
      expect(update.order?.id).toBe("o-1");
      break;
    }

    await expect(handlerSawAbort).resolves.toBeUndefined();
  });

  it("when the server drains, then a slow in-flight call completes and new calls are refused", async () => {
    const kit = testKit();
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { server, target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request) {
            started();
            await new Promise<void>((resolve) => {
              release = resolve;
            });
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target, { retry: false });

    const slow = inventory.getItem({ sku: "slow" });
    await inHandler;
    expect(server.inFlight).toBe(1);
    const drained = server.drain(10_000);
    const late = await inventory.getItem({ sku: "late" }).catch((e: unknown) => e);
    release();

    await expect(slow).resolves.toMatchObject({ item: { sku: "slow" } });
    await drained;
    expect(late).toMatchObject({ code: Code.UNAVAILABLE });
    expect(server.inFlight).toBe(0);
  });

  it("when the server drains, then an open stream ends with UNAVAILABLE SERVER_DRAINING", async () => {
    const kit = testKit();
    const { server, target } = await startServer(kit, (s) =>
      s.add(
        OrderService,
        fakeOrders({
          async *watchOrder(request, ctx) {
            yield { order: { id: request.id, status: OrderStatus.PENDING } };
            await aborted(ctx.signal);
          },
        }),
      ),
    );
    const orders = client(kit, OrderService, target);
    const stream = orders.watchOrder({ id: "o-1" })[Symbol.asyncIterator]();
    await stream.next();

    const drained = server.drain(10_000);
    const ended = await stream.next().catch((e: unknown) => e);
    await drained;

    expect(ended).toMatchObject({ code: Code.UNAVAILABLE, reason: "SERVER_DRAINING" });
  });

  it("when a handler or a caller uses the wrong message shape, then it does not typecheck", async () => {
    const kit = testKit();
    const server = new GrpcServer({
      log: kit.log,
      metrics: kit.metrics,
      health: kit.health,
      service: "test",
    });
    const add = () =>
      server.add(
        InventoryService,
        fakeInventory({
          // @ts-expect-error GetItemResponse has no field "sku".
          async getItem() {
            return { sku: "W-1" };
          },
          // @ts-expect-error onHand is an int64 (bigint), not a string.
          async adjustStock() {
            return { item: { onHand: "7" } };
          },
        }),
      );

    const callers = (inventory: Client<typeof InventoryService>, orders: Client<typeof OrderService>) => [
      // @ts-expect-error sku is a string.
      () => inventory.getItem({ sku: 1 }),
      // @ts-expect-error responses are fully typed: GetItemResponse has no "sku".
      async () => (await inventory.getItem({ sku: "W-1" })).sku,
      // @ts-expect-error WatchOrder is server streaming: it returns an AsyncIterable, not a Promise.
      () => orders.watchOrder({ id: "o-1" }).then(() => undefined),
    ];

    // tsc enforces the @ts-expect-error lines above; at runtime the service is accepted.
    expect(add).not.toThrow();
    expect(callers).toBeTypeOf("function");
    await server.drain(0);
  });
});
