import { beforeEach, describe, expect, it } from "vitest";
import type { Invoice } from "../invoice.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { FixedClock, issueInput, issueInvoiceIn } from "../testing/invoice-fixtures.ts";
import { makeVoidInvoice } from "./void-invoice.use-case.ts";
import { makeVoidInvoiceOfEndedOrder } from "./void-invoice-of-ended-order.use-case.ts";

describe("VoidInvoiceOfEndedOrder (an order cancelled or failed)", () => {
  let invoices: InMemoryInvoiceRepository;
  let clock: FixedClock;
  let voidOfOrder: ReturnType<typeof makeVoidInvoiceOfEndedOrder>;
  let issued: Invoice;

  beforeEach(async () => {
    invoices = new InMemoryInvoiceRepository();
    clock = new FixedClock(new Date("2026-03-14T09:30:00Z"));
    issued = await issueInvoiceIn(invoices, clock, issueInput({ orderId: "order-7" }));
    voidOfOrder = makeVoidInvoiceOfEndedOrder({ invoices, clock });
    clock.set(new Date("2026-03-15T10:00:00Z"));
  });

  it("when the order's invoice is issued, then it is voided with the reason and time", async () => {
    const outcome = await voidOfOrder({
      orderId: "order-7",
      reason: "order cancelled: CANCELLED_BY_CUSTOMER",
    });

    expect(outcome.kind).toBe("voided");
    expect(await invoices.findById(issued.id)).toMatchObject({
      status: "VOID",
      voidReason: "order cancelled: CANCELLED_BY_CUSTOMER",
      voidedAt: new Date("2026-03-15T10:00:00Z"),
    });
  });

  it("when the saga voided the invoice first (by RPC), then it stays as the saga left it", async () => {
    await makeVoidInvoice({ invoices, clock })({ id: issued.id, reason: "saga compensation" });
    const before = await invoices.findById(issued.id);
    clock.set(new Date("2026-03-16T08:00:00Z"));

    const outcome = await voidOfOrder({ orderId: "order-7", reason: "order failed: PAYMENT_DECLINED" });

    expect(outcome.kind).toBe("already-void");
    expect(await invoices.findById(issued.id)).toEqual(before);
  });

  it("when the order ended before an invoice was issued, then nothing is voided", async () => {
    const outcome = await voidOfOrder({
      orderId: "order-without-invoice",
      reason: "order failed: OUT_OF_STOCK",
    });

    expect(outcome).toEqual({ kind: "no-invoice" });
    expect((await invoices.findById(issued.id))?.status).toBe("ISSUED");
  });

  it("when the invoice is paid, then it stays paid and the outcome says so", async () => {
    invoices.setStatus(issued.id, "PAID");

    const outcome = await voidOfOrder({
      orderId: "order-7",
      reason: "order cancelled: CANCELLED_BY_CUSTOMER",
    });

    expect(outcome.kind).toBe("paid");
    expect((await invoices.findById(issued.id))?.status).toBe("PAID");
  });
});
