import { createServer } from "node:http";
import { FulfillmentService, ShipmentStatus } from "@orderly/contracts/fulfillment";
import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { AppError, Code, validationError } from "@orderly/kit/errors";
import { afterEach, describe, expect, it } from "vitest";
import { fakeServer } from "../test/fake-server.ts";
import { createOrderlyClient, type OrderlyClient } from "./client.ts";
import { OrderlyError } from "./orderly-error.ts";

const address = {
  name: "Ada Lovelace",
  line1: "12 Analytical St",
  city: "London",
  postalCode: "N1 9GU",
  countryCode: "GB",
};
const eur = (amountMinor: number) => ({ currencyCode: "EUR", amountMinor: BigInt(amountMinor) });
const at = { seconds: 1_800_000_000n, nanos: 0 };

function wireOrder(status: OrderStatus = OrderStatus.CONFIRMED) {
  return {
    id: "order-1",
    customerId: "c-1",
    status,
    lines: [
      { sku: "MUG-BLUE", quantity: 2n, name: "Blue enamel mug", unitPrice: eur(1250), lineTotal: eur(2500) },
    ],
    shippingAddress: address,
    subtotal: eur(2500),
    tax: eur(500),
    total: eur(3000),
    invoiceId: "inv-1",
    shipmentId: "shp-1",
    createdAt: at,
    updatedAt: at,
  };
}

let client: OrderlyClient | undefined;
afterEach(() => client?.close());
function connect(
  addr: string,
  extra: Partial<Parameters<typeof createOrderlyClient>[0]> = {},
): OrderlyClient {
  client = createOrderlyClient({ address: addr, ...extra });
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<OrderlyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderlyError);
  return error as OrderlyError;
}

describe("orders", () => {
  it("when an order is created without a key, then a fresh idempotency key is sent and the order comes back domain-shaped", async () => {
    const seen: { key: string | undefined; respondAsync: boolean }[] = [];
    const addr = await fakeServer(OrderService, {
      createOrder: async (request, ctx) => {
        seen.push({ key: ctx.idempotencyKey, respondAsync: request.respondAsync });
        return { order: wireOrder() };
      },
    });
    const orders = connect(addr).orders;
    const input = { customerId: "c-1", lines: [{ sku: "MUG-BLUE", quantity: 2 }], shippingAddress: address };
    const order = await orders.create(input);
    await orders.create(input);

    expect(order).toEqual({
      id: "order-1",
      customerId: "c-1",
      status: "CONFIRMED",
      lines: [
        {
          sku: "MUG-BLUE",
          quantity: 2,
          name: "Blue enamel mug",
          unitPrice: { amountMinor: 1250, currency: "EUR" },
          lineTotal: { amountMinor: 2500, currency: "EUR" },
        },
      ],
      shippingAddress: address,
      subtotal: { amountMinor: 2500, currency: "EUR" },
      tax: { amountMinor: 500, currency: "EUR" },
      total: { amountMinor: 3000, currency: "EUR" },
      invoiceId: "inv-1",
      shipmentId: "shp-1",
      createdAt: new Date(1_800_000_000_000),
      updatedAt: new Date(1_800_000_000_000),
    });
    expect(seen[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]?.key).not.toBe(seen[0]?.key);
  });

  it("when a key and respondAsync are given, then both reach the server as given", async () => {
    const seen: { key: string | undefined; respondAsync: boolean }[] = [];
    const addr = await fakeServer(OrderService, {
      createOrder: async (request, ctx) => {
        seen.push({ key: ctx.idempotencyKey, respondAsync: request.respondAsync });
        return { order: wireOrder(OrderStatus.PENDING) };
      },
    });
    const order = await connect(addr).orders.create({
      customerId: "c-1",
      lines: [{ sku: "MUG-BLUE", quantity: 1 }],
      shippingAddress: address,
      idempotencyKey: "my-key-1",
      respondAsync: true,
    });
    expect(order.status).toBe("PENDING");
    expect(seen).toEqual([{ key: "my-key-1", respondAsync: true }]);
  });

  it("when the server refuses a field, then the OrderlyError carries code, reason and the field violations", async () => {
    const addr = await fakeServer(OrderService, {
      createOrder: async () => {
        throw validationError({ field: "lines[0].quantity", description: "must be at least 1" });
      },
    });
    const error = await rejection(
      connect(addr).orders.create({
        customerId: "c-1",
        lines: [{ sku: "MUG-BLUE", quantity: 0 }],
        shippingAddress: address,
      }),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.reason).toBe("VALIDATION_FAILED");
    expect(error.fieldViolations).toEqual([
      { field: "lines[0].quantity", description: "must be at least 1" },
    ]);
  });

  it("when an order is unknown, then get fails NOT_FOUND with the server's reason after one attempt", async () => {
    let calls = 0;
    const addr = await fakeServer(OrderService, {
      getOrder: async () => {
        calls++;
        throw new AppError({
          code: Code.NOT_FOUND,
          reason: "ORDER_NOT_FOUND",
          message: "order nope not found",
        });
      },
    });
    const error = await rejection(connect(addr).orders.get("nope"));
    expect([error.code, error.reason, error.message]).toEqual([
      "NOT_FOUND",
      "ORDER_NOT_FOUND",
      "order nope not found",
    ]);
    expect(calls).toBe(1);
  });

  it("when a read answers UNAVAILABLE and then succeeds, then the client retries it and returns the order", async () => {
    let calls = 0;
    const addr = await fakeServer(OrderService, {
      getOrder: async () => {
        calls++;
        if (calls < 3)
          throw new AppError({ code: Code.UNAVAILABLE, reason: "SHUTTING_DOWN", message: "draining" });
        return { order: wireOrder() };
      },
    });
    expect((await connect(addr).orders.get("order-1")).id).toBe("order-1");
    expect(calls).toBe(3);
  });

  it("when UNAVAILABLE persists, then the call gives up after maxAttempts with code UNAVAILABLE", async () => {
    let calls = 0;
    const addr = await fakeServer(OrderService, {
      getOrder: async () => {
        calls++;
        throw new AppError({ code: Code.UNAVAILABLE, reason: "SHUTTING_DOWN", message: "draining" });
      },
    });
    const error = await rejection(connect(addr, { maxAttempts: 2 }).orders.get("order-1"));
    expect([error.code, error.reason]).toEqual(["UNAVAILABLE", "SHUTTING_DOWN"]);
    expect(calls).toBe(2);
  });

  it("when nothing listens at the address, then the error is UNAVAILABLE with reason PEER_UNAVAILABLE", async () => {
    const error = await rejection(connect("127.0.0.1:1", { maxAttempts: 1 }).orders.get("order-1"));
    expect([error.code, error.reason]).toEqual(["UNAVAILABLE", "PEER_UNAVAILABLE"]);
  });

  it("when the server is slower than the call's deadline, then the call fails DEADLINE_EXCEEDED", async () => {
    const addr = await fakeServer(OrderService, {
      getOrder: (_request, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    });
    const error = await rejection(connect(addr).orders.get("order-1", { deadlineMs: 100 }));
    expect(error.code).toBe("DEADLINE_EXCEEDED");
  });

  it("when an order is watched, then each status arrives in order and the iteration ends with the stream", async () => {
    const addr = await fakeServer(OrderService, {
      watchOrder: async function* () {
        yield { order: wireOrder(OrderStatus.PENDING) };
        yield { order: wireOrder(OrderStatus.CONFIRMED) };
        yield { order: wireOrder(OrderStatus.CANCELLED) };
      },
    });
    const statuses: string[] = [];
    for await (const order of connect(addr).orders.watch("order-1")) statuses.push(order.status);
    expect(statuses).toEqual(["PENDING", "CONFIRMED", "CANCELLED"]);
  });

  it("when a watched order is unknown, then the iteration throws NOT_FOUND", async () => {
    const addr = await fakeServer(OrderService, {
      // biome-ignore lint/correctness/useYield: the fake fails before its first message, as the service does
      watchOrder: async function* () {
        throw new AppError({ code: Code.NOT_FOUND, reason: "ORDER_NOT_FOUND", message: "order x not found" });
      },
    });
    const iterate = async () => {
      for await (const _ of connect(addr).orders.watch("x")) {
        // no message is expected
      }
    };
    const error = await rejection(iterate());
    expect([error.code, error.reason]).toEqual(["NOT_FOUND", "ORDER_NOT_FOUND"]);
  });

  it("when a token is configured, then every call carries it as a bearer authorization", async () => {
    const seen: unknown[] = [];
    const addr = await fakeServer(OrderService, {
      listOrders: async (request, ctx) => {
        seen.push(ctx.metadata.get("authorization")[0], request.customerId, request.pageSize);
        return { orders: [wireOrder()], nextPageToken: "next" };
      },
    });
    const page = await connect(addr, { token: "t0k3n" }).orders.list({ customerId: "c-1", pageSize: 5 });
    expect(seen).toEqual(["Bearer t0k3n", "c-1", 5]);
    expect(page.nextPageToken).toBe("next");
    expect(page.items.map((o) => o.id)).toEqual(["order-1"]);
  });
});

describe("items and shipments", () => {
  it("when stock is adjusted without an adjustment id, then a fresh one is sent and the item comes back", async () => {
    const ids: string[] = [];
    const addr = await fakeServer(InventoryService, {
      adjustStock: async (request) => {
        ids.push(request.adjustmentId);
        return {
          item: {
            sku: request.sku,
            name: "Mug",
            unitPrice: eur(1250),
            onHand: 505n,
            reserved: 2n,
            available: 503n,
          },
          adjustment: {
            id: "adj-1",
            sku: request.sku,
            delta: request.delta,
            reason: request.reason,
            onHandAfter: 505n,
          },
        };
      },
    });
    const result = await connect(addr).items.adjust("MUG-BLUE", { delta: 5, reason: "recount" });
    expect(result.item).toEqual({
      sku: "MUG-BLUE",
      name: "Mug",
      unitPrice: { amountMinor: 1250, currency: "EUR" },
      onHand: 505,
      reserved: 2,
      available: 503,
    });
    expect(result.adjustment).toEqual({
      id: "adj-1",
      sku: "MUG-BLUE",
      delta: 5,
      reason: "recount",
      onHandAfter: 505,
    });
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("when a shipment is advanced, then the status travels as the enum and returns as its name", async () => {
    const seen: number[] = [];
    const addr = await fakeServer(FulfillmentService, {
      advanceShipment: async (request) => {
        seen.push(request.toStatus);
        return {
          shipment: {
            id: request.id,
            orderId: "order-1",
            status: request.toStatus,
            lines: [{ sku: "MUG-BLUE", quantity: 2n }],
          },
        };
      },
    });
    const shipment = await connect(addr).shipments.advance("shp-1", "PACKED");
    expect(seen).toEqual([ShipmentStatus.PACKED]);
    expect(shipment).toEqual({
      id: "shp-1",
      orderId: "order-1",
      status: "PACKED",
      lines: [{ sku: "MUG-BLUE", quantity: 2 }],
    });
  });

  it("when a shipment status is not a status, then advance fails INVALID_ARGUMENT naming to_status without calling", async () => {
    const error = await rejection(connect("127.0.0.1:1").shipments.advance("shp-1", "FLYING" as "PACKED"));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.fieldViolations.map((v) => v.field)).toEqual(["to_status"]);
  });
});

describe("invoice PDF over HTTP", () => {
  async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    return `http://127.0.0.1:${port}`;
  }

  it("when no invoice HTTP URL is configured, then pdf rejects FAILED_PRECONDITION saying which option is missing", async () => {
    const error = await rejection(connect("127.0.0.1:1").invoices.pdf("inv-1"));
    expect([error.code, error.reason]).toEqual(["FAILED_PRECONDITION", "INVOICE_HTTP_URL_MISSING"]);
    expect(error.message).toContain("invoiceHttpUrl");
  });

  it("when the invoice exists, then pdf returns the document's bytes", async () => {
    const paths: string[] = [];
    const url = await httpServer((request, response) => {
      paths.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.7 fake");
    });
    const bytes = await connect("127.0.0.1:1", { invoiceHttpUrl: url }).invoices.pdf("inv-1");
    expect(Buffer.from(bytes).toString()).toBe("%PDF-1.7 fake");
    expect(paths).toEqual(["/v1/invoices/inv-1.pdf"]);
  });

  it("when the invoice is unknown, then pdf fails with the problem's code and reason", async () => {
    const url = await httpServer((_request, response) => {
      response.writeHead(404, { "content-type": "application/problem+json" }).end(
        JSON.stringify({
          status: 404,
          code: "NOT_FOUND",
          reason: "INVOICE_NOT_FOUND",
          detail: "invoice x not found",
        }),
      );
    });
    const error = await rejection(connect("127.0.0.1:1", { invoiceHttpUrl: url }).invoices.pdf("x"));
    expect([error.code, error.reason, error.message]).toEqual([
      "NOT_FOUND",
      "INVOICE_NOT_FOUND",
      "invoice x not found",
    ]);
  });
});
