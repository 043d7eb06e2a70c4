import { Code } from "@orderly/kit/errors";
import { beforeEach, describe, expect, it } from "vitest";
import type { Invoice } from "../invoice.ts";
import { createInvoicingPolicy } from "../invoicing-policy.ts";
import { appErrorOf } from "../testing/app-error-of.ts";
import { InMemoryInvoiceRepository } from "../testing/in-memory-invoice.repository.ts";
import { inlineNumbering } from "../testing/inline-numbering.ts";
import { eur, FixedClock, issueInput } from "../testing/invoice-fixtures.ts";
import { makeIssueInvoice } from "./issue-invoice.use-case.ts";

const policy = createInvoicingPolicy({ acceptedCurrencies: ["EUR", "USD", "JPY"] });

describe("IssueInvoice", () => {
  let invoices: InMemoryInvoiceRepository;
  let clock: FixedClock;
  let issueInvoice: ReturnType<typeof makeIssueInvoice>;

  beforeEach(() => {
    invoices = new InMemoryInvoiceRepository();
    clock = new FixedClock(new Date("2026-03-14T09:30:00Z"));
    issueInvoice = makeIssueInvoice({ invoices, clock, policy, numbering: inlineNumbering(invoices) });
  });

  const stored = () => invoices.list({ customerId: "customer-1", limit: 1000 });

  it("when an order is invoiced, then the invoice carries its number, lines, exact totals and ISSUED", async () => {
    const invoice = await issueInvoice(issueInput());
    expect(invoice).toMatchObject({
      number: "INV-2026-000001",
      orderId: "order-1",
      currencyCode: "EUR",
      status: "ISSUED",
      issuedAt: new Date("2026-03-14T09:30:00Z"),
      voidedAt: null,
      voidReason: null,
      subtotal: eur(8548),
      taxRateBps: 1900,
      tax: eur(1624),
      total: eur(10172),
    });
    expect(
      invoice.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amountMinor, l.lineTotal.amountMinor]),
    ).toEqual([
      ["BOOK-1", 2, 1999, 3998],
      ["PEN-7", 1, 4550, 4550],
    ]);
    expect(invoice.customer.name).toBe("Ada Lovelace");
    expect(await invoices.findById(invoice.id)).toEqual(invoice);
  });

  it("when three orders are invoiced, then they are numbered 1, 2, 3", async () => {
    const numbers: string[] = [];
    for (const orderId of ["a", "b", "c"]) numbers.push((await issueInvoice(issueInput({ orderId }))).number);
    expect(numbers).toEqual(["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]);
  });

  it("when the year turns, then numbering restarts at 1 for the new year", async () => {
    await issueInvoice(issueInput({ orderId: "a" }));
    clock.set(new Date("2027-01-01T00:00:00Z"));
    const invoice = await issueInvoice(issueInput({ orderId: "b" }));
    expect(invoice.number).toBe("INV-2027-000001");
  });

  it("when the same request is repeated, then the original invoice comes back and no second one exists", async () => {
    const first = await issueInvoice(issueInput());
    clock.set(new Date("2026-03-15T00:00:00Z"));
    const again = await issueInvoice(issueInput({ orderId: " order-1 " }));
    expect(again).toEqual(first);
    expect(await stored()).toHaveLength(1);
  });

  it.each([
    ["DE", 1900, 1624],
    ["FR", 2000, 1710],
    ["HU", 2700, 2308],
    ["FI", 2550, 2180],
    ["RO", 2100, 1795],
    ["US", 0, 0],
    ["GB", 0, 0],
    ["CH", 0, 0],
  ])(
    "when the order ships to %s, then tax is %i bps of the 85.48 subtotal: %i cents",
    async (countryCode, bps, taxMinor) => {
      const base = issueInput();
      const customer = { ...base.customer, address: { ...base.customer?.address, countryCode } };
      const invoice = await issueInvoice(issueInput({ customer }));
      expect(invoice).toMatchObject({ taxRateBps: bps, tax: eur(taxMinor), total: eur(8548 + taxMinor) });
    },
  );

  it("when a repeat arrives after the accepted currencies changed, then it still gets the original invoice", async () => {
    const first = await issueInvoice(issueInput());
    const newPolicy = createInvoicingPolicy({ acceptedCurrencies: ["USD"] });
    const again = await makeIssueInvoice({
      invoices,
      clock,
      policy: newPolicy,
      numbering: inlineNumbering(invoices),
    })(issueInput());
    expect(again).toEqual(first);
  });

  it("when the same order comes with different content, then FAILED_PRECONDITION ORDER_ALREADY_INVOICED and the original stands", async () => {
    const first = await issueInvoice(issueInput());
    const error = await appErrorOf(
      issueInvoice(issueInput({ lines: [{ sku: "BOOK-1", quantity: 3, unitPrice: eur(1999) }] })),
    );
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.reason).toBe("ORDER_ALREADY_INVOICED");
    expect(error.details).toMatchObject({ order_id: "order-1", invoice_number: first.number });
    expect(await stored()).toEqual([first]);
  });

  it("when the currency is valid ISO but not accepted, then FAILED_PRECONDITION UNSUPPORTED_CURRENCY and nothing is stored", async () => {
    const error = await appErrorOf(
      issueInvoice(
        issueInput({
          currencyCode: "CHF",
          lines: [{ sku: "A", quantity: 1, unitPrice: { currencyCode: "CHF", amountMinor: 100 } }],
        }),
      ),
    );
    expect(error.code).toBe(Code.FAILED_PRECONDITION);
    expect(error.reason).toBe("UNSUPPORTED_CURRENCY");
    expect(await stored()).toEqual([]);
    // The failed attempt used no number.
    expect((await issueInvoice(issueInput())).number).toBe("INV-2026-000001");
  });

  it("when the input is bad, then INVALID_ARGUMENT and nothing is stored", async () => {
    const error = await appErrorOf(
      issueInvoice(issueInput({ lines: [{ sku: "A", quantity: 0, unitPrice: eur(1) }] })),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.details).toMatchObject({ field: "lines[0].quantity" });
    expect(await stored()).toEqual([]);
  });

  it("when the invoice is in yen, then amounts stay whole yen and tax rounds half-up to the yen", async () => {
    const yen = (amountMinor: number) => ({ currencyCode: "JPY", amountMinor });
    const invoice = await issueInvoice(
      issueInput({ currencyCode: "JPY", lines: [{ sku: "TEA", quantity: 3, unitPrice: yen(333) }] }),
    );
    // 999 x 19% = 189.81 -> 190
    expect([invoice.subtotal, invoice.tax, invoice.total]).toEqual([yen(999), yen(190), yen(1189)]);
  });

  describe("when a concurrent request for the same order wins the race", () => {
    // The winner commits between our existence check and our insert.
    class RacedRepository extends InMemoryInvoiceRepository {
      winner: Invoice | undefined;
      override async findByOrderId(orderId: string) {
        return this.winner === undefined ? super.findByOrderId(orderId) : undefined;
      }
    }

    it("then a same-content loser gets the winner's invoice, and a different-content loser a conflict", async () => {
      const raced = new RacedRepository();
      const issue = makeIssueInvoice({ invoices: raced, clock, policy, numbering: inlineNumbering(raced) });
      raced.winner = await issue(issueInput());
      expect(await issue(issueInput())).toEqual(raced.winner);
      const error = await appErrorOf(
        issue(
          issueInput({
            currencyCode: "USD",
            lines: [{ sku: "A", quantity: 1, unitPrice: { currencyCode: "USD", amountMinor: 1 } }],
          }),
        ),
      );
      expect(error.reason).toBe("ORDER_ALREADY_INVOICED");
    });
  });
});
