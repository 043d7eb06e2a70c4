import { join } from "node:path";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { InvoiceStatus } from "@orderly/contracts/invoice";
import { OrderService, OrderStatus } from "@orderly/contracts/order";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { type ServiceProcess, spawnService } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, eventually, repoRoot, Stack } from "./stack.ts";

const address = {
  name: "Grace Hopper",
  line1: "1 Compiler Way",
  city: "Arlington",
  postalCode: "22201",
  countryCode: "US",
};
const ORDERS = 24;

for (const kind of testDatabaseKinds()) {
  describe(`order service killed mid-saga (${kind})`, () => {
    let stack: Stack;
    let orderProcess: ServiceProcess | undefined;
    const startOrder = async () => {
      orderProcess = await spawnService({
        cwd: join(repoRoot, "services/order"),
        env: stack.env("order"),
        telemetry: false,
      });
    };

    beforeAll(async () => {
      // Inventory, invoice and fulfillment in this process; the order service as a real process.
      stack = await Stack.start(kind, {}, ["order"]);
      await startOrder();
    });
    afterAll(async () => {
      orderProcess?.kill("SIGKILL");
      await stack?.stop();
    });

    it("when SIGKILLed while sagas run, then after restart every order settles with exactly one reservation, invoice and shipment per confirmed order", async () => {
      const c = stack.clients();
      await c.inventory.upsertItem({
        sku: "CRASH-1",
        name: "crash",
        unitPrice: { currencyCode: "EUR", amountMinor: 700n },
      });
      await c.inventory.adjustStock({
        sku: "CRASH-1",
        delta: 18n,
        reason: "e2e",
        adjustmentId: "seed-crash",
      });
      const order = clientFor(OrderService, stack.address("order"));
      const keys = Array.from({ length: ORDERS }, (_, i) => `crash-${kind}-${i}`);
      const create = (k: string) =>
        order.createOrder(
          {
            customerId: `cust-crash-${kind}`,
            lines: [{ sku: "CRASH-1", quantity: 1n }],
            shippingAddress: address,
          },
          { idempotencyKey: k },
        );

      // Fulfillment is down while the orders arrive, so every saga is held mid-way (stock reserved,
      // invoice issued, shipment retried) however fast the machine: the kill lands mid-flight.
      await stack.stopService("fulfillment");
      const inFlight = keys.map((k) => create(k).catch(() => undefined));
      await eventually(
        () =>
          c.invoice
            .listInvoices({ customerId: `cust-crash-${kind}`, pageSize: 100 })
            .catch(() => ({ invoices: [] })),
        (r) => r.invoices.length >= 3,
      );
      orderProcess?.kill("SIGKILL");
      await orderProcess?.exited;
      const answeredBeforeKill = (await Promise.all(inFlight)).filter((answer) => answer !== undefined);
      // The kill really landed mid-flight: no answer before it was a confirmed order (fulfillment is
      // down, so none could be; a request that outwaited its budget was answered PENDING, and on a
      // fast machine all of them can be, so their count proves nothing).
      expect(answeredBeforeKill.map((answer) => answer.order?.status)).not.toContain(OrderStatus.CONFIRMED);

      await stack.startService("fulfillment");
      await startOrder();
      // Clients retry with their keys: each gets its one order back, nothing is created twice.
      const answers = await Promise.all(keys.map((k) => create(k)));
      const ids = answers.map((a) => a.order?.id ?? "");
      expect(new Set(ids).size).toBe(ORDERS);

      const settled = await Promise.all(
        ids.map((id) =>
          eventually(
            () => order.getOrder({ id }),
            (r) => r.order?.status !== OrderStatus.PENDING,
            40_000,
          ),
        ),
      );
      const confirmed = settled
        .filter((r) => r.order?.status === OrderStatus.CONFIRMED)
        .map((r) => r.order?.id ?? "");
      const rejected = settled.filter((r) => r.order?.status === OrderStatus.REJECTED);
      expect(confirmed.length + rejected.length).toBe(ORDERS);
      expect(confirmed).toHaveLength(18);

      for (const id of confirmed) {
        expect((await c.invoice.listInvoices({ orderId: id })).invoices.map((i) => i.status)).toEqual([
          InvoiceStatus.ISSUED,
        ]);
        expect((await c.fulfillment.listShipments({ orderId: id })).shipments.map((s) => s.status)).toEqual([
          ShipmentStatus.PENDING,
        ]);
      }
      // One reservation per confirmed order: exactly their quantities are held, nothing leaked.
      expect((await c.inventory.getItem({ sku: "CRASH-1" })).item).toMatchObject({
        onHand: 18n,
        reserved: 18n,
      });
      order.close();
    });
  });
}
