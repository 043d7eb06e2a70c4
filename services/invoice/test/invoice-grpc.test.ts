import * as grpc from "@grpc/grpc-js";
import { type Invoice, InvoiceStatus } from "@orderly/contracts/invoice";
import { Code } from "@orderly/kit/errors";
import { richStatusOf } from "@orderly/kit/grpc";
import { testDatabaseKinds } from "@orderly/testkit/db";
import { expectRejected, rawUnary } from "@orderly/testkit/grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eur,
  type IssueRequest,
  issueRequest,
  type LineInit,
  type RunningInvoice,
  sequenceOf,
  startInvoice,
} from "./invoice.test-support.ts";

const UNKNOWN_ID = "0190f3a2-0000-7000-8000-000000000099";
const ISSUE_PATH = "/orderly.invoice.v1.InvoiceService/IssueInvoice";
const BAD_CUSTOMER = "customer-with-bad-requests";

const line = (overrides: Partial<LineInit>): LineInit => ({
  sku: "BOOK-1",
  description: "",
  quantity: 1n,
  unitPrice: eur(100n),
  ...overrides,
});

/** Requests a caller may get wrong, each with the field the answer must name. */
function badRequests(): { name: string; field: string; request: IssueRequest }[] {
  const base = (orderId: string, overrides: Partial<IssueRequest> = {}) => {
    const request = issueRequest(orderId, overrides);
    return { ...request, customer: { ...request.customer, id: BAD_CUSTOMER } };
  };
  return [
    { name: "the order id is missing", field: "order_id", request: base("") },
    {
      name: "a quantity is zero",
      field: "lines[0].quantity",
      request: base("bad-zero", { lines: [line({ quantity: 0n })] }),
    },
    {
      name: "a quantity is negative",
      field: "lines[0].quantity",
      request: base("bad-negative", { lines: [line({ quantity: -3n })] }),
    },
    {
      name: "the currency is lower case",
      field: "currency_code",
      request: base("bad-eur", { currencyCode: "eur" }),
    },
    {
      name: "the currency is not ISO 4217",
      field: "currency_code",
      request: base("bad-xyz", { currencyCode: "XYZ" }),
    },
    {
      name: "a unit price's currency is malformed",
      field: "lines[0].unit_price.currency_code",
      request: base("bad-line-currency", {
        lines: [line({ unitPrice: { currencyCode: "E1R", amountMinor: 100n } })],
      }),
    },
    {
      name: "a unit price is negative",
      field: "lines[0].unit_price.amount_minor",
      request: base("bad-price", { lines: [line({ unitPrice: eur(-1n) })] }),
    },
    { name: "there are no lines", field: "lines", request: base("bad-no-lines", { lines: [] }) },
    {
      name: "the customer's name holds a NUL byte",
      field: "customer.name",
      request: (() => {
        const request = base("bad-nul");
        return { ...request, customer: { ...request.customer, name: "Ada\u0000Lovelace" } };
      })(),
    },
    {
      name: "a line's description holds a control character",
      field: "lines[0].description",
      request: base("bad-control", { lines: [line({ description: "Pen\u001b[31m" })] }),
    },
    {
      name: "the country code is not an assigned ISO 3166-1 code",
      field: "customer.address.country_code",
      request: (() => {
        const request = base("bad-country");
        return {
          ...request,
          customer: { ...request.customer, address: { ...request.customer.address, countryCode: "UK" } },
        };
      })(),
    },
    {
      name: "there are more lines than an invoice takes (100)",
      field: "lines",
      request: base("bad-101-lines", { lines: Array.from({ length: 101 }, () => line({})) }),
    },
  ];
}

for (const kind of testDatabaseKinds()) {
  describe(`invoice gRPC API (${kind})`, () => {
    let svc: RunningInvoice;
    // One service and database per kind; tests use their own order ids and compare numbers relatively,
    // except the first, which relies on the database being fresh.
    beforeAll(async () => {
      svc = await startInvoice(kind, "invoice_grpc");
    });
    afterAll(async () => {
      await svc?.stop();
    });

    /** Runs `work` between two valid issues and returns how many numbers it used (0 is the point). */
    const numbersUsedBy = async (label: string, work: () => Promise<void>) => {
      const before = await svc.issue(issueRequest(`${label}-before`));
      await work();
      const after = await svc.issue(issueRequest(`${label}-after`));
      return sequenceOf(after.number) - sequenceOf(before.number) - 1;
    };
    const invoicesOfCustomer = async (customerId: string) =>
      (await svc.grpc.listInvoices({ customerId, pageSize: 100 })).invoices;

    it("when 30 different orders are invoiced at once, then they get the numbers 1..30 of the year, each once", async () => {
      const orders = Array.from({ length: 30 }, (_, i) => `concurrent-${i}`);

      const invoices = await Promise.all(orders.map((orderId) => svc.issue(issueRequest(orderId))));

      const year = new Date().getUTCFullYear();
      expect(invoices.every((i) => i.number.startsWith(`INV-${year}-`))).toBe(true);
      expect(invoices.map((i) => sequenceOf(i.number)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      expect(invoices.map((i) => i.orderId).sort()).toEqual([...orders].sort());
      // What each caller was told is what was stored.
      for (const invoice of invoices) {
        const { invoices: listed } = await svc.grpc.listInvoices({ orderId: invoice.orderId });
        expect(listed.map((i) => i.number)).toEqual([invoice.number]);
      }
    });

    it("when an invoice is issued, then it has exact totals and status ISSUED, and GetInvoice returns it", async () => {
      const issued = await svc.issue(issueRequest("issue-1"));

      expect(issued).toMatchObject({
        orderId: "issue-1",
        currencyCode: "EUR",
        customer: { id: "customer-1", name: "Ada Lovelace", email: "ada@example.com" },
        lines: [
          { sku: "BOOK-1", quantity: 2n, unitPrice: eur(1999n), lineTotal: eur(3998n) },
          { sku: "PEN-7", quantity: 1n, unitPrice: eur(4550n), lineTotal: eur(4550n) },
        ],
        subtotal: eur(8548n),
        taxRateBps: 1900,
        // 8548 x 19% = 1624.12, rounded half-up once on the subtotal.
        tax: eur(1624n),
        total: eur(10172n),
        status: InvoiceStatus.ISSUED,
        voidReason: "",
      });
      expect(issued.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(issued.issuedAt).toBeDefined();
      expect(issued.voidedAt).toBeUndefined();
      const { invoice } = await svc.grpc.getInvoice({ id: issued.id });
      expect(invoice).toEqual(issued);
    });

    it("when the same order is issued again with the same content, then the original returns and no number is used", async () => {
      let first: Invoice | undefined;
      let again: Invoice | undefined;
      const used = await numbersUsedBy("repeat", async () => {
        first = await svc.issue(issueRequest("repeat-1"));
        again = await svc.issue(issueRequest("repeat-1"));
      });

      expect(again).toEqual(first);
      expect(used).toBe(1); // the first issue's; the repeat took none

      expect((await svc.grpc.listInvoices({ orderId: "repeat-1" })).invoices).toHaveLength(1);
    });

    it("when the same order is issued again with other content, then FAILED_PRECONDITION ORDER_ALREADY_INVOICED and the original stays", async () => {
      const first = await svc.issue(issueRequest("conflict-1"));

      await expectRejected(svc.issue(issueRequest("conflict-1", { lines: [line({ quantity: 5n })] })), {
        code: Code.FAILED_PRECONDITION,
        reason: "ORDER_ALREADY_INVOICED",
      });
      const { invoices } = await svc.grpc.listInvoices({ orderId: "conflict-1" });
      expect(invoices).toEqual([first]);
    });

    it.each(badRequests())("when $name, then INVALID_ARGUMENT names $field", async ({ request, field }) => {
      await expectRejected(svc.issue(request), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field,
      });
    });

    it("when requests are malformed, then nothing is stored and no invoice number is used", async () => {
      const used = await numbersUsedBy("bad-input", async () => {
        for (const { request } of badRequests()) await svc.issue(request).catch(() => undefined);
      });

      expect(used).toBe(0);
      expect(await invoicesOfCustomer(BAD_CUSTOMER)).toEqual([]);
    });

    it("when a line is priced in another currency, then INVALID_ARGUMENT CURRENCY_MISMATCH names that line's currency", async () => {
      const request = issueRequest("mismatch-1", {
        lines: [line({}), line({ unitPrice: { currencyCode: "USD", amountMinor: 100n } })],
      });

      await expectRejected(svc.issue(request), {
        code: Code.INVALID_ARGUMENT,
        reason: "CURRENCY_MISMATCH",
        field: "lines[1].unit_price.currency_code",
      });
      expect((await svc.grpc.listInvoices({ orderId: "mismatch-1" })).invoices).toEqual([]);
    });

    it("when the currency is ISO 4217 but not billed in, then FAILED_PRECONDITION UNSUPPORTED_CURRENCY and no number is used", async () => {
      const aud = issueRequest("aud-1", {
        currencyCode: "AUD",
        lines: [line({ unitPrice: { currencyCode: "AUD", amountMinor: 100n } })],
      });

      const used = await numbersUsedBy("aud", () =>
        expectRejected(svc.issue(aud), { code: Code.FAILED_PRECONDITION, reason: "UNSUPPORTED_CURRENCY" }),
      );

      expect(used).toBe(0);
      expect((await svc.grpc.listInvoices({ orderId: "aud-1" })).invoices).toEqual([]);
    });

    it("when the request bytes are not protobuf, then INVALID_ARGUMENT VALIDATION_FAILED and no number is used", async () => {
      let error: grpc.ServiceError | Buffer | undefined;
      const used = await numbersUsedBy("garbage", async () => {
        // Field 1 (order_id), length-delimited, claims 5 bytes and carries 1.
        error = await rawUnary(svc.running.grpcAddress, ISSUE_PATH, Buffer.from([0x0a, 0x05, 0x41]));
      });

      expect(error).toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        details: "malformed request message",
      });
      expect(richStatusOf(error as grpc.ServiceError)?.reason).toBe("VALIDATION_FAILED");
      expect(used).toBe(0);
    });

    it("when the request is larger than the server takes (4 MiB), then RESOURCE_EXHAUSTED and no number is used", async () => {
      const huge = issueRequest("huge-1", { lines: [line({ description: "x".repeat(5 * 1024 * 1024) })] });

      const used = await numbersUsedBy("huge", () =>
        expectRejected(svc.issue(huge), { code: Code.RESOURCE_EXHAUSTED, reason: "RESOURCE_EXHAUSTED" }),
      );

      expect(used).toBe(0);
      expect((await svc.grpc.listInvoices({ orderId: "huge-1" })).invoices).toEqual([]);
    });

    it("when GetInvoice asks for an unknown id, then NOT_FOUND INVOICE_NOT_FOUND; a non-UUID id is INVALID_ARGUMENT naming id", async () => {
      await expectRejected(svc.grpc.getInvoice({ id: UNKNOWN_ID }), {
        code: Code.NOT_FOUND,
        reason: "INVOICE_NOT_FOUND",
      });
      await expectRejected(svc.grpc.getInvoice({ id: "INV-2026-000001" }), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field: "id",
      });
    });

    it("when an invoice is voided twice, then it is VOID with the first reason and time, and a repeated issue returns it", async () => {
      const issued = await svc.issue(issueRequest("void-1"));

      const { invoice: voided } = await svc.grpc.voidInvoice({ id: issued.id, reason: "order cancelled" });
      const { invoice: again } = await svc.grpc.voidInvoice({ id: issued.id, reason: "another reason" });

      expect(voided).toMatchObject({
        id: issued.id,
        number: issued.number,
        status: InvoiceStatus.VOID,
        voidReason: "order cancelled",
        total: issued.total,
      });
      expect(voided?.voidedAt).toBeDefined();
      expect(again).toEqual(voided);
      expect((await svc.grpc.getInvoice({ id: issued.id })).invoice).toEqual(voided);
      expect(await svc.issue(issueRequest("void-1"))).toEqual(voided);
    });

    it("when a void has no reason or names no known invoice, then INVALID_ARGUMENT or NOT_FOUND and the invoice stays ISSUED", async () => {
      const issued = await svc.issue(issueRequest("void-2"));

      await expectRejected(svc.grpc.voidInvoice({ id: issued.id, reason: "  " }), {
        code: Code.INVALID_ARGUMENT,
        reason: "VALIDATION_FAILED",
        field: "reason",
      });
      await expectRejected(svc.grpc.voidInvoice({ id: UNKNOWN_ID, reason: "x" }), {
        code: Code.NOT_FOUND,
        reason: "INVOICE_NOT_FOUND",
      });
      expect((await svc.grpc.getInvoice({ id: issued.id })).invoice?.status).toBe(InvoiceStatus.ISSUED);
    });

    it("when a customer's invoices are listed in pages, then each comes once, newest first", async () => {
      const customer = { ...issueRequest("x").customer, id: "customer-paged" };
      const issued: Invoice[] = [];
      for (let i = 0; i < 5; i++) issued.push(await svc.issue(issueRequest(`paged-${i}`, { customer })));

      const seen: string[] = [];
      let pageToken = "";
      do {
        const page = await svc.grpc.listInvoices({ customerId: "customer-paged", pageSize: 2, pageToken });
        expect(page.invoices.length).toBeLessThanOrEqual(2);
        seen.push(...page.invoices.map((i) => i.number));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");

      expect(seen).toEqual(issued.map((i) => i.number).reverse());
    });

    it("when a list names no filter, a page size over 100 or a token of other filters, then INVALID_ARGUMENT names the field", async () => {
      const customer = { ...issueRequest("x").customer, id: "customer-list-errors" };
      for (const orderId of ["list-errors-1", "list-errors-2"])
        await svc.issue(issueRequest(orderId, { customer }));
      const { nextPageToken } = await svc.grpc.listInvoices({ customerId: customer.id, pageSize: 1 });
      expect(nextPageToken).not.toBe("");

      const invalid = { code: Code.INVALID_ARGUMENT, reason: "VALIDATION_FAILED" };
      await expectRejected(svc.grpc.listInvoices({}), { ...invalid, field: "order_id" });
      await expectRejected(svc.grpc.listInvoices({ customerId: customer.id, pageSize: 101 }), {
        ...invalid,
        field: "page_size",
      });
      await expectRejected(svc.grpc.listInvoices({ customerId: "customer-1", pageToken: nextPageToken }), {
        ...invalid,
        field: "page_token",
      });
      await expectRejected(svc.grpc.listInvoices({ customerId: customer.id, pageToken: "not-a-token" }), {
        ...invalid,
        field: "page_token",
      });
    });
  });
}
