import { createOrderlyClient, type OrderlyClient, OrderlyError } from "@orderly/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, Stack } from "./stack.ts";

const shippingAddress = {
  name: "Grace Hopper",
  line1: "1 Harvard Yard",
  city: "Cambridge",
  postalCode: "02138",
  countryCode: "US",
};

async function rejection(promise: Promise<unknown>): Promise<OrderlyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderlyError);
  return error as OrderlyError;
}

describe("@orderly/client through the real stack", () => {
  let stack: Stack;
  let client: OrderlyClient;

  beforeAll(async () => {
    stack = await Stack.start("pglite");
    client = createOrderlyClient({
      address: stack.address("order"),
      addresses: {
        inventory: stack.address("inventory"),
        invoice: stack.address("invoice"),
        fulfillment: stack.address("fulfillment"),
      },
      invoiceHttpUrl: stack.httpUrl("invoice"),
      defaultDeadlineMs: 30_000,
    });
    const inventory = stack.clients().inventory;
    await inventory.upsertItem({
      sku: "CLI-MUG",
      name: "Client mug",
      unitPrice: { currencyCode: "EUR", amountMinor: 1250n },
    });
    await client.items.adjust("CLI-MUG", { delta: 50, reason: "e2e seed", adjustmentId: "client-e2e-seed" });
    // Four services and their databases on a busy CI machine: minutes, not seconds.
  }, 240_000);
  afterAll(async () => {
    client?.close();
    await stack?.stop();
  });

  it("when an order is created, watched and its shipment delivered, then the client sees CONFIRMED, SHIPPED, DELIVERED and the invoice matches", async () => {
    const order = await client.orders.create({
      customerId: "client-e2e",
      lines: [{ sku: "CLI-MUG", quantity: 2 }],
      shippingAddress,
    });
    expect(order.status).toBe("CONFIRMED");
    expect(order.lines).toEqual([
      {
        sku: "CLI-MUG",
        name: "Client mug",
        quantity: 2,
        unitPrice: { amountMinor: 1250, currency: "EUR" },
        lineTotal: { amountMinor: 2500, currency: "EUR" },
      },
    ]);
    expect(order.createdAt).toBeInstanceOf(Date);

    const statuses: string[] = [];
    const watching = (async () => {
      for await (const update of client.orders.watch(order.id, { deadlineMs: 60_000 }))
        statuses.push(update.status);
    })();
    for (const to of ["PICKING", "PACKED", "SHIPPED", "DELIVERED"] as const) {
      const shipment = await client.shipments.advance(order.shipmentId ?? "", to);
      expect(shipment.status).toBe(to);
    }
    await watching;
    expect(statuses[0]).toBe("CONFIRMED");
    expect(statuses).toContain("SHIPPED");
    expect(statuses.at(-1)).toBe("DELIVERED");

    const invoice = await client.invoices.get(order.invoiceId ?? "");
    expect(invoice.orderId).toBe(order.id);
    expect(invoice.total).toEqual(order.total);
    const pdf = await client.invoices.pdf(invoice.id);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe("%PDF-");

    const page = await client.orders.list({ customerId: "client-e2e" });
    expect(page.items.map((o) => [o.id, o.status])).toEqual([[order.id, "DELIVERED"]]);
    const cancelled = await rejection(client.orders.cancel(order.id));
    expect([cancelled.code, cancelled.reason]).toEqual(["FAILED_PRECONDITION", "ORDER_NOT_CANCELLABLE"]);
  }, 120_000);

  it("when the same idempotency key is used twice, then the second create returns the first order", async () => {
    const input = {
      customerId: "client-e2e-key",
      lines: [{ sku: "CLI-MUG", quantity: 1 }],
      shippingAddress,
      idempotencyKey: "client-e2e-key-1",
    };
    const reservedBefore = (await client.items.get("CLI-MUG")).reserved;
    const first = await client.orders.create(input);
    const second = await client.orders.create(input);
    expect(second.id).toBe(first.id);
    expect((await client.items.get("CLI-MUG")).reserved).toBe(reservedBefore + 1);
    const cancelled = await client.orders.cancel(first.id);
    expect(cancelled.status).toBe("CANCELLED");
    // The cancel compensates: the stock hold is released.
    await eventually(
      () => client.items.get("CLI-MUG"),
      (item) => item.reserved === reservedBefore,
    );
  }, 60_000);

  it("when input is bad or an id unknown, then OrderlyError names the field or the missing order", async () => {
    const invalid = await rejection(
      client.orders.create({
        customerId: "client-e2e",
        lines: [{ sku: "CLI-MUG", quantity: 0 }],
        shippingAddress,
      }),
    );
    expect([invalid.code, invalid.reason]).toEqual(["INVALID_ARGUMENT", "VALIDATION_FAILED"]);
    expect(invalid.fieldViolations.map((v) => v.field)).toEqual(["lines[0].quantity"]);

    const missing = await rejection(client.orders.get("0193a0c0-0000-7000-8000-000000000000"));
    expect([missing.code, missing.reason]).toEqual(["NOT_FOUND", "ORDER_NOT_FOUND"]);
    const noPdf = await rejection(client.invoices.pdf("0193a0c0-0000-7000-8000-000000000000"));
    expect(noPdf.code).toBe("NOT_FOUND");
  }, 60_000);
});
