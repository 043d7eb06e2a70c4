import { InvoiceStatus } from "@orderly/contracts/invoice";
import {
  OrderCancelledSchema,
  OrderConfirmedSchema,
  OrderFailedSchema,
} from "@orderly/contracts/order/events";
import { uuidv7 } from "@orderly/kit/db";
import { connectEventBus, DEFAULT_STREAM_SETTINGS, type EventBus } from "@orderly/kit/events";
import { createLogger } from "@orderly/kit/log";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { eventually, natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueRequest, type RunningInvoice, startInvoice } from "./invoice.test-support.ts";
import { consumedCount, consumedUpTo, publishOrderEvent, SLOW } from "./order-events.test-support.ts";

describe.runIf(natsServerAvailable()).each(testDatabaseKinds())(
  "invoice service consuming order events (EVENT_BUS_URL, real nats-server) on %s",
  SLOW,
  (kind) => {
    let nats: TestNatsServer;
    let bus: EventBus;
    let invoice: RunningInvoice;

    beforeAll(async () => {
      nats = await startNatsServer();
      bus = await connectEventBus({
        config: { servers: [nats.url], stream: DEFAULT_STREAM_SETTINGS },
        name: "invoice-events-test",
        log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
      });
      invoice = await startInvoice(kind, "invoice_events", { EVENT_BUS_URL: nats.url });
    }, SLOW.timeout);
    afterAll(async () => {
      await invoice?.stop();
      await bus?.close();
      await nats?.stop();
    }, SLOW.timeout);

    const getInvoice = async (id: string) => (await invoice.grpc.getInvoice({ id })).invoice;

    it("when an order is cancelled, then its invoice is voided once, and a redelivery and other order events change nothing", async () => {
      const orderId = uuidv7();
      const issued = await invoice.issue(issueRequest(orderId));
      const eventId = await publishOrderEvent(
        bus,
        "cancelled",
        OrderCancelledSchema,
        { orderId, customerId: "customer-1", invoiceId: issued.id, reason: "CANCELLED_BY_CUSTOMER" },
        orderId,
      );
      const voided = await eventually(
        () => getInvoice(issued.id),
        (i) => i?.status === InvoiceStatus.VOID,
        60_000,
      );
      expect(voided?.status).toBe(InvoiceStatus.VOID);
      expect(voided?.voidReason).toBe("order cancelled: CANCELLED_BY_CUSTOMER");
      // Counted once acknowledged, just after the commit the invoice shows.
      expect(
        await eventually(
          () => consumedCount(invoice.running.httpUrl, "orderly.order.cancelled"),
          (n) => n === 1,
        ),
      ).toBe(1);

      // The same event again past the broker's dedupe window (another Nats-Msg-Id), and an event
      // the invoice does not react to, which passes the consumer's wildcard filter.
      await publishOrderEvent(
        bus,
        "cancelled",
        OrderCancelledSchema,
        { orderId, customerId: "customer-1", invoiceId: issued.id, reason: "CANCELLED_BY_CUSTOMER" },
        orderId,
        eventId,
        `${eventId}-replayed`,
      );
      await publishOrderEvent(bus, "confirmed", OrderConfirmedSchema, { orderId: uuidv7() }, uuidv7());
      await consumedUpTo(bus, 3);

      expect(await getInvoice(issued.id)).toEqual(voided);
      // Both deliveries were acknowledged; the second had no effect (the invoice above is unchanged).
      expect(await consumedCount(invoice.running.httpUrl, "orderly.order.cancelled")).toBe(2);
    });

    it("when the saga voided the invoice by RPC before the order's failed event arrives, then the invoice keeps the saga's reason and time", async () => {
      const orderId = uuidv7();
      const issued = await invoice.issue(issueRequest(orderId));
      const bySaga = (
        await invoice.grpc.voidInvoice(
          { id: issued.id, reason: "saga compensation" },
          { idempotencyKey: `${orderId}:void` },
        )
      ).invoice;
      const seq = (await bus.jsm.streams.info("ORDERLY_ORDER")).state.last_seq;
      await publishOrderEvent(
        bus,
        "failed",
        OrderFailedSchema,
        { orderId, customerId: "customer-1", reason: "PAYMENT_DECLINED", failedStep: "ship" },
        orderId,
      );
      await consumedUpTo(bus, seq + 1);

      expect(bySaga?.status).toBe(InvoiceStatus.VOID);
      expect(await getInvoice(issued.id)).toEqual(bySaga);
    });

    it("when an order fails with its invoice issued, then the invoice is voided with the failure as reason", async () => {
      const orderId = uuidv7();
      const issued = await invoice.issue(issueRequest(orderId));
      await publishOrderEvent(
        bus,
        "failed",
        OrderFailedSchema,
        { orderId, customerId: "customer-1", reason: "SHIPMENT_REFUSED", failedStep: "ship" },
        orderId,
      );
      const voided = await eventually(
        () => getInvoice(issued.id),
        (i) => i?.status === InvoiceStatus.VOID,
        60_000,
      );

      expect(voided?.voidReason).toBe("order failed: SHIPMENT_REFUSED");
    });
  },
);
