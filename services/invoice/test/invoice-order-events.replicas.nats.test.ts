import { InvoiceService, InvoiceStatus } from "@orderly/contracts/invoice";
import { OrderCancelledSchema } from "@orderly/contracts/order/events";
import { uuidv7 } from "@orderly/kit/db";
import { connectEventBus, DEFAULT_STREAM_SETTINGS, type EventBus } from "@orderly/kit/events";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "@orderly/testkit/db";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { eventually, natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { issueRequest } from "./invoice.test-support.ts";
import { consumedCount, consumedUpTo, publishOrderEvent, SLOW } from "./order-events.test-support.ts";

const quiet = createLogger({ service: "test", version: "0", instance: "test", level: "silent" });

// Two replicas need a database both can open: PostgreSQL (PGlite is one process's, one connection).
describe.runIf(natsServerAvailable() && testDatabaseKinds().includes("postgres"))(
  "two invoice replicas consuming order events on one PostgreSQL database",
  SLOW,
  () => {
    let nats: TestNatsServer;
    let bus: EventBus;
    let testDb: TestDatabase;
    const replicas: RunningService[] = [];
    let grpc: Client<typeof InvoiceService>;

    beforeAll(async () => {
      nats = await startNatsServer();
      bus = await connectEventBus({
        config: { servers: [nats.url], stream: DEFAULT_STREAM_SETTINGS },
        name: "invoice-replicas-test",
        log: quiet,
      });
      testDb = await createTestDatabase("postgres", "invoice_replicas");
      const start = (e: Env) => main(e) as unknown as Promise<Service<string, unknown>>;
      for (const instance of ["invoice-a", "invoice-b"]) {
        replicas.push(
          await startInProcess(start, {
            DATABASE_URL: testDb.url,
            EVENT_BUS_URL: nats.url,
            INSTANCE_ID: instance,
          }),
        );
      }
      grpc = createGrpcClient(InvoiceService, {
        target: replicas[0]?.grpcAddress ?? "",
        peer: "invoice",
        log: quiet,
        metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
        retry: false,
        defaultDeadlineMs: 30_000,
        breaker: false,
      });
    }, SLOW.timeout);
    afterAll(async () => {
      grpc?.close();
      for (const replica of replicas) await replica.stop();
      await bus?.close();
      await nats?.stop();
      await testDb?.drop();
    }, SLOW.timeout);

    it("when 20 orders are cancelled, then each invoice is voided and each event handled by exactly one replica", async () => {
      const orders = Array.from({ length: 20 }, () => uuidv7());
      const invoices = [];
      for (const orderId of orders) {
        const { invoice } = await grpc.issueInvoice(issueRequest(orderId));
        invoices.push(invoice?.id ?? "");
      }
      for (const [i, orderId] of orders.entries()) {
        await publishOrderEvent(
          bus,
          "cancelled",
          OrderCancelledSchema,
          { orderId, invoiceId: invoices[i] ?? "", reason: "CANCELLED_BY_CUSTOMER" },
          orderId,
        );
      }
      await consumedUpTo(bus, 20);
      const statuses = await Promise.all(
        invoices.map(async (id) => (await grpc.getInvoice({ id })).invoice?.status),
      );
      const handled = await eventually(
        async () => {
          const counts = await Promise.all(
            replicas.map((r) => consumedCount(r.httpUrl, "orderly.order.cancelled")),
          );
          return counts.reduce((a, b) => a + b, 0);
        },
        (n) => n >= 20,
      );

      expect(statuses).toEqual(orders.map(() => InvoiceStatus.VOID));
      // Acked 20 times across both replicas for 20 events published once each: none went to both.
      expect(handled).toBe(20);
      const info = await bus.jsm.consumers.info("ORDERLY_ORDER", "invoice");
      expect(info.num_redelivered).toBe(0);
    });
  },
);
