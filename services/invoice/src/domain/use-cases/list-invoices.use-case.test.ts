import { encodePageToken } from "@orderly/kit/domain";
import { Code } from "@orderly/kit/errors";
import { beforeEach, describe, expect, it } from "vitest";
import type { Invoice } from "../invoice.ts";
import { createInvoicingPolicy } from "../invoicing-policy.ts";
import { appErrorOf } from "../testing/app-error-of.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { inlineNumbering } from "../testing/inline-numbering.ts";
import { FixedClock, issueInput } from "../testing/invoice-fixtures.ts";
import { type IssueInvoice, makeIssueInvoice } from "./issue-invoice.use-case.ts";
import { type ListInvoices, type ListInvoicesInput, makeListInvoices } from "./list-invoices.use-case.ts";

describe("ListInvoices", () => {
  let issueInvoice: IssueInvoice;
  let listInvoices: ListInvoices;

  beforeEach(() => {
    const invoices = new InMemoryInvoiceRepository();
    const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR"] });
    issueInvoice = makeIssueInvoice({
      invoices,
      clock: new FixedClock(new Date("2026-03-14T09:30:00Z")),
      policy,
      numbering: inlineNumbering(invoices),
    });
    listInvoices = makeListInvoices({ invoices });
  });

  async function issueFor(customerId: string, count: number, prefix = customerId): Promise<Invoice[]> {
    const issued: Invoice[] = [];
    for (let i = 0; i < count; i++) {
      const customer = { ...issueInput().customer, id: customerId };
      issued.push(await issueInvoice(issueInput({ orderId: `${prefix}-${i}`, customer })));
    }
    return issued;
  }

  async function allPages(input: ListInvoicesInput): Promise<Invoice[][]> {
    const pages: Invoice[][] = [];
    let pageToken = "";
    do {
      const page = await listInvoices({ ...input, pageToken });
      pages.push([...page.invoices]);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return pages;
  }

  it("when a customer's 7 invoices are listed 3 at a time, then 3 pages hold each once, newest first", async () => {
    const issued = await issueFor("ada", 7);
    await issueFor("bob", 2);
    const pages = await allPages({ customerId: "ada", pageSize: 3 });
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((i) => i.number)).toEqual(issued.map((i) => i.number).reverse());
  });

  it("when invoices are issued between two pages, then the next page neither repeats nor skips", async () => {
    const issued = await issueFor("ada", 4);
    const first = await listInvoices({ customerId: "ada", pageSize: 2 });
    await issueFor("ada", 3, "later");
    const second = await listInvoices({ customerId: "ada", pageSize: 2, pageToken: first.nextPageToken });
    expect([...first.invoices, ...second.invoices].map((i) => i.orderId)).toEqual(
      issued.map((i) => i.orderId).reverse(),
    );
    expect(second.nextPageToken).toBe("");
  });

  it("when listing by order, then only that order's invoice comes back", async () => {
    await issueFor("ada", 3);
    const page = await listInvoices({ orderId: "ada-1" });
    expect(page.invoices.map((i) => i.orderId)).toEqual(["ada-1"]);
    expect(page.nextPageToken).toBe("");
  });

  it("when page_size is 0, then pages hold 50", async () => {
    await issueFor("ada", 51);
    const page = await listInvoices({ customerId: "ada", pageSize: 0 });
    expect(page.invoices).toHaveLength(50);
    expect(page.nextPageToken).not.toBe("");
  });

  it.each([
    ["no filter is given", {}, "order_id"],
    ["page_size is 101", { customerId: "ada", pageSize: 101 }, "page_size"],
    ["page_size is negative", { customerId: "ada", pageSize: -1 }, "page_size"],
    ["the page token is garbage", { customerId: "ada", pageToken: "not-a-token" }, "page_token"],
    ["a filter holds a NUL byte", { customerId: "ada\u0000" }, "customer_id"],
    ["a filter holds a lone surrogate", { orderId: "order-\ud800" }, "order_id"],
    [
      "the page token names a non-UUID",
      { customerId: "ada", pageToken: encodePageToken("invoices", { o: "", c: "ada", a: "x" }) },
      "page_token",
    ],
  ])("when %s, then INVALID_ARGUMENT names %s", async (_, input, field) => {
    const error = await appErrorOf(listInvoices(input));
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatchObject({ field });
  });

  it("when a page token is reused with other filters, then INVALID_ARGUMENT names page_token", async () => {
    await issueFor("ada", 3);
    const first = await listInvoices({ customerId: "ada", pageSize: 1 });
    const error = await appErrorOf(listInvoices({ customerId: "bob", pageToken: first.nextPageToken }));
    expect(error.details).toMatchObject({ field: "page_token" });
  });
});
