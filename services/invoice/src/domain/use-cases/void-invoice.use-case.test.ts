import { Code } from "@orderly/kit/errors";
import { beforeEach, describe, expect, it } from "vitest";
import type { Invoice } from "../invoice.ts";
import { appErrorOf } from "../testing/app-error-of.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { FixedClock, issueInvoiceIn } from "../testing/invoice-fixtures.ts";
import { makeVoidInvoice } from "./void-invoice.use-case.ts";

describe("VoidInvoice", () => {
  let invoices: InMemoryInvoiceRepository;
  let clock: FixedClock;
  let voidInvoice: ReturnType<typeof makeVoidInvoice>;
  let issued: Invoice;

  beforeEach(async () => {
    invoices = new InMemoryInvoiceRepository();
    clock = new FixedClock(new Date("2026-03-14T09:30:00Z"));
    issued = await issueInvoiceIn(invoices, clock);
    voidInvoice = makeVoidInvoice({ invoices, clock });
    clock.set(new Date("2026-03-15T10:00:00Z"));
  });

  it("when an issued invoice is voided, then it is VOID with the reason and time, number and figures unchanged", async () => {
    const voided = await voidInvoice({ id: issued.id, reason: " order cancelled " });
    expect(voided).toEqual({
      ...issued,
      status: "VOID",
      voidedAt: new Date("2026-03-15T10:00:00Z"),
      voidReason: "order cancelled",
    });
    expect(await invoices.findById(issued.id)).toEqual(voided);
  });

  it("when a void invoice is voided again, then it comes back unchanged (first reason and time kept)", async () => {
    const first = await voidInvoice({ id: issued.id, reason: "order cancelled" });
    clock.set(new Date("2026-04-01T00:00:00Z"));
    expect(await voidInvoice({ id: issued.id, reason: "another reason" })).toEqual(first);
  });

  it("when a paid invoice is voided, then FAILED_PRECONDITION INVOICE_PAID and it stays paid", async () => {
    invoices.setStatus(issued.id, "PAID");
    const error = await appErrorOf(voidInvoice({ id: issued.id, reason: "order cancelled" }));
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.reason).toBe("INVOICE_PAID");
    expect((await invoices.findById(issued.id))?.status).toBe("PAID");
  });

  it("when the id is unknown, then NOT_FOUND INVOICE_NOT_FOUND", async () => {
    const error = await appErrorOf(voidInvoice({ id: "0190a4c8-0000-7000-8000-000000000000", reason: "x" }));
    expect(error.code).toBe(Code.NOT_FOUND);
    expect(error.reason).toBe("INVOICE_NOT_FOUND");
  });

  it.each([
    ["the id is not a UUID", { id: "INV-2026-000001", reason: "x" }, "id"],
    ["the reason is missing", { reason: " " }, "reason"],
  ])("when %s, then INVALID_ARGUMENT names %s and nothing changes", async (_, partial, field) => {
    const error = await appErrorOf(voidInvoice({ id: issued.id, ...partial }));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatchObject({ field });
    expect(await invoices.findById(issued.id)).toEqual(issued);
  });

  it("when the invoice is paid between our read and our write, then the payment wins and INVOICE_PAID is reported", async () => {
    class PaidMeanwhile extends InMemoryInvoiceRepository {
      override async markVoidIfIssued(id: string, reason: string, at: Date) {
        this.setStatus(id, "PAID");
        return super.markVoidIfIssued(id, reason, at);
      }
    }
    const racing = new PaidMeanwhile();
    const invoice = await issueInvoiceIn(racing, clock);
    const error = await appErrorOf(
      makeVoidInvoice({ invoices: racing, clock })({ id: invoice.id, reason: "x" }),
    );
    expect(error.reason).toBe("INVOICE_PAID");
  });
});
