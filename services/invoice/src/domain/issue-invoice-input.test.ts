import { Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { parseIssueInvoiceInput } from "./issue-invoice-input.ts";
import { appErrorOf } from "./testing/app-error-of.ts";
import { eur, issueInput } from "./testing/invoice-fixtures.ts";

async function fieldsRejected(input: Parameters<typeof parseIssueInvoiceInput>[0]) {
  const error = await appErrorOf(() => parseIssueInvoiceInput(input));
  expect(error.code).toBe(Code.INVALID_ARGUMENT);
  expect(error.reason).toBe("VALIDATION_FAILED");
  return (error.details.violations as { field: string }[]).map((v) => v.field);
}

const base = issueInput();
const customer = base.customer ?? {};
const address = customer.address ?? {};

describe("parseIssueInvoiceInput", () => {
  it("when the request is well formed, then text is trimmed and int64 bigints become numbers", () => {
    const command = parseIssueInvoiceInput(issueInput({ orderId: "  order-1 " }));
    expect(command.orderId).toBe("order-1");
    expect(command.lines[1]).toEqual({
      sku: "PEN-7",
      description: "Fountain pen",
      quantity: 1,
      unitPriceMinor: 4550,
    });
    expect(command.customer.address).toEqual({
      name: "",
      line1: "Unter den Linden 1",
      line2: "",
      city: "Berlin",
      postalCode: "10117",
      countryCode: "DE",
    });
  });

  it.each([
    ["order_id is blank", { orderId: "  " }, ["order_id"]],
    ["the customer is missing", { customer: undefined }, ["customer"]],
    ["the currency is not ISO 4217", { currencyCode: "EURO" }, ["currency_code"]],
    ["the currency is lower case", { currencyCode: "eur" }, ["currency_code"]],
    ["there are no lines", { lines: [] }, ["lines"]],
    ["a quantity is zero", { lines: [{ sku: "A", quantity: 0, unitPrice: eur(1) }] }, ["lines[0].quantity"]],
    [
      "a quantity is above 1000",
      { lines: [{ sku: "A", quantity: 1001, unitPrice: eur(1) }] },
      ["lines[0].quantity"],
    ],
    [
      "a quantity is fractional",
      { lines: [{ sku: "A", quantity: 1.5, unitPrice: eur(1) }] },
      ["lines[0].quantity"],
    ],
    [
      "a quantity is beyond 2^53",
      { lines: [{ sku: "A", quantity: 2n ** 60n, unitPrice: eur(1) }] },
      ["lines[0].quantity"],
    ],
    [
      "a unit price is negative",
      { lines: [{ sku: "A", quantity: 1, unitPrice: eur(-1) }] },
      ["lines[0].unit_price.amount_minor"],
    ],
    ["a unit price is missing", { lines: [{ sku: "A", quantity: 1 }] }, ["lines[0].unit_price"]],
    ["a sku is missing", { lines: [{ sku: "", quantity: 1, unitPrice: eur(1) }] }, ["lines[0].sku"]],
    [
      "a sku has a control character",
      { lines: [{ sku: "A\u0007", quantity: 1, unitPrice: eur(1) }] },
      ["lines[0].sku"],
    ],
    [
      "there are 101 lines",
      { lines: Array.from({ length: 101 }, () => ({ sku: "A", quantity: 1, unitPrice: eur(1) })) },
      ["lines"],
    ],
  ] as const)("when %s, then INVALID_ARGUMENT names the field", async (_, override, fields) => {
    expect(await fieldsRejected(issueInput(override))).toEqual(fields);
  });

  it.each([
    ["the customer id is missing", { ...customer, id: "" }, "customer.id"],
    ["the email is not an email", { ...customer, email: "ada at example.com" }, "customer.email"],
    ["the address is missing", { ...customer, address: undefined }, "customer.address"],
    [
      "the country is lower case",
      { ...customer, address: { ...address, countryCode: "gb" } },
      "customer.address.country_code",
    ],
    ["the city is missing", { ...customer, address: { ...address, city: " " } }, "customer.address.city"],
    ["no name is given anywhere", { ...customer, name: "" }, "customer.name"],
  ])("when %s, then INVALID_ARGUMENT names %s", async (_, badCustomer, field) => {
    expect(await fieldsRejected(issueInput({ customer: badCustomer }))).toEqual([field]);
  });

  // Every string field, each with each kind of text that must never be stored or printed.
  const badTexts = [
    ["a NUL byte", "Ada\u0000Lovelace"],
    ["a lone surrogate", "Ada \ud800"],
    ["a control character", "Ada\u001bLovelace"],
  ] as const;
  const stringFields: [string, (bad: string) => Parameters<typeof parseIssueInvoiceInput>[0]][] = [
    ["order_id", (bad) => issueInput({ orderId: bad })],
    ["customer.id", (bad) => issueInput({ customer: { ...customer, id: bad } })],
    ["customer.name", (bad) => issueInput({ customer: { ...customer, name: bad } })],
    ["customer.email", (bad) => issueInput({ customer: { ...customer, email: bad } })],
    ...(["name", "line1", "line2", "city", "postal_code"] as const).map(
      (key): [string, (bad: string) => Parameters<typeof parseIssueInvoiceInput>[0]] => [
        `customer.address.${key}`,
        (bad) =>
          issueInput({
            customer: {
              ...customer,
              address: { ...address, [key === "postal_code" ? "postalCode" : key]: bad },
            },
          }),
      ],
    ),
    ["lines[0].sku", (bad) => issueInput({ lines: [{ sku: bad, quantity: 1, unitPrice: eur(1) }] })],
    [
      "lines[0].description",
      (bad) => issueInput({ lines: [{ sku: "A", description: bad, quantity: 1, unitPrice: eur(1) }] }),
    ],
  ];
  it.each(
    stringFields.flatMap(([field, build]) =>
      badTexts.map(([what, bad]) => [field, what, build(bad)] as const),
    ),
  )("when %s holds %s, then INVALID_ARGUMENT names exactly that field", async (field, _, input) => {
    expect(await fieldsRejected(input)).toEqual([field]);
  });

  it.each(["UK", "EU", "ZZ", "XK", "DEU"])(
    "when the country code is %s (not an assigned ISO 3166-1 alpha-2 code), then INVALID_ARGUMENT names it",
    async (countryCode) => {
      expect(
        await fieldsRejected(issueInput({ customer: { ...customer, address: { ...address, countryCode } } })),
      ).toEqual(["customer.address.country_code"]);
    },
  );

  it("when several fields are wrong, then every one of them is named at once", async () => {
    const fields = await fieldsRejected({
      orderId: "",
      customer: { ...customer, id: "" },
      currencyCode: "EUR",
      lines: [{ sku: "A", quantity: -1, unitPrice: eur(1) }],
    });
    expect(fields).toEqual(["order_id", "customer.id", "lines[0].quantity"]);
  });

  it("when only the address carries a name, then the buyer is named after it", () => {
    const command = parseIssueInvoiceInput(
      issueInput({ customer: { ...customer, name: "", address: { ...address, name: "Charles Babbage" } } }),
    );
    expect(command.customer.name).toBe("Charles Babbage");
  });

  it("when a line is priced in another currency, then INVALID_ARGUMENT CURRENCY_MISMATCH names its currency", async () => {
    const error = await appErrorOf(() =>
      parseIssueInvoiceInput(
        issueInput({
          lines: [
            { sku: "A", quantity: 1, unitPrice: eur(100) },
            { sku: "B", quantity: 1, unitPrice: { currencyCode: "USD", amountMinor: 100 } },
          ],
        }),
      ),
    );
    expect(error.code).toBe(Code.INVALID_ARGUMENT);
    expect(error.reason).toBe("CURRENCY_MISMATCH");
    expect(error.details).toMatchObject({ field: "lines[1].unit_price.currency_code" });
  });
});
