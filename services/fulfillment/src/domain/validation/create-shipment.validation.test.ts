import { type AppError, Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import {
  type AddressInput,
  type CreateShipmentInput,
  validateCreateShipment,
} from "./create-shipment.validation.ts";

const address: AddressInput = {
  name: "Ada Lovelace",
  line1: "1 Main St",
  city: "London",
  postalCode: "N1 9GU",
  countryCode: "GB",
};

const valid: CreateShipmentInput = {
  orderId: "order-42",
  lines: [
    { sku: "SKU-1", quantity: 1 },
    { sku: "AB12-X", quantity: 3 },
  ],
  address,
};

function violationsOf(input: CreateShipmentInput): Array<{ field: string; description: string }> {
  try {
    validateCreateShipment(input);
  } catch (error) {
    const appError = error as AppError;
    expect(appError.code).toBe(Code.INVALID_ARGUMENT);
    expect(appError.reason).toBe("VALIDATION_FAILED");
    return appError.details.violations as Array<{ field: string; description: string }>;
  }
  throw new Error("expected a validation error");
}

function fieldsOf(input: CreateShipmentInput): string[] {
  return violationsOf(input).map((v) => v.field);
}

describe("CreateShipment validation", () => {
  it("when the request is complete, then it is accepted with an empty second address line", () => {
    expect(validateCreateShipment(valid)).toEqual({
      orderId: "order-42",
      customerId: "",
      lines: valid.lines,
      address: { ...address, line2: "" },
    });
  });

  it.each([
    ["an empty order id", { orderId: "" }, "order_id"],
    ["a blank order id", { orderId: "   " }, "order_id"],
    ["an order id of 129 characters", { orderId: "x".repeat(129) }, "order_id"],
    ["a customer id of 129 characters", { customerId: "c".repeat(129) }, "customer_id"],
    ["a customer id with a NUL", { customerId: "customer\u0000-1" }, "customer_id"],
    ["no lines", { lines: [] }, "lines"],
    [
      "a SKU on two lines",
      {
        lines: [
          { sku: "SKU-1", quantity: 1 },
          { sku: "SKU-1", quantity: 2 },
        ],
      },
      "lines[1].sku",
    ],
    ["a lower-case sku", { lines: [{ sku: "sku-1", quantity: 1 }] }, "lines[0].sku"],
    ["an empty sku", { lines: [{ sku: "", quantity: 1 }] }, "lines[0].sku"],
    ["a sku of 65 characters", { lines: [{ sku: "A".repeat(65), quantity: 1 }] }, "lines[0].sku"],
    ["a sku with a space", { lines: [{ sku: "SKU 1", quantity: 1 }] }, "lines[0].sku"],
    ["a zero quantity", { lines: [{ sku: "A", quantity: 0 }] }, "lines[0].quantity"],
    ["a negative quantity", { lines: [{ sku: "A", quantity: -1 }] }, "lines[0].quantity"],
    ["a fractional quantity", { lines: [{ sku: "A", quantity: 1.5 }] }, "lines[0].quantity"],
    ["an unsafe quantity", { lines: [{ sku: "A", quantity: 2 ** 53 }] }, "lines[0].quantity"],
    ["no address", { address: undefined }, "address"],
    ["an address without a name", { address: { ...address, name: "" } }, "address.name"],
    ["an address without line1", { address: { ...address, line1: " " } }, "address.line1"],
    ["an address without a city", { address: { ...address, city: "" } }, "address.city"],
    ["an address without a postal code", { address: { ...address, postalCode: "" } }, "address.postal_code"],
    ["no country code", { address: { ...address, countryCode: "" } }, "address.country_code"],
    ["a lower-case country code", { address: { ...address, countryCode: "gb" } }, "address.country_code"],
    ["an unassigned country code", { address: { ...address, countryCode: "UK" } }, "address.country_code"],
    ["a reserved country code", { address: { ...address, countryCode: "EU" } }, "address.country_code"],
    [
      "the user-assigned country code XX",
      { address: { ...address, countryCode: "XX" } },
      "address.country_code",
    ],
    ["a NUL byte in the order id", { orderId: "order\u0000-42" }, "order_id"],
    ["a NUL byte in line2", { address: { ...address, line2: "\u0000" } }, "address.line2"],
    ["a lone surrogate in the city", { address: { ...address, city: "Lon\ud800don" } }, "address.city"],
    ["a name of 201 characters", { address: { ...address, name: "n".repeat(201) } }, "address.name"],
    ["a quantity over 1000", { lines: [{ sku: "A", quantity: 1001 }] }, "lines[0].quantity"],
    [
      "101 lines",
      { lines: Array.from({ length: 101 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })) },
      "lines",
    ],
    ["a three-letter country code", { address: { ...address, countryCode: "GBR" } }, "address.country_code"],
  ] satisfies Array<[string, Partial<CreateShipmentInput>, string]>)(
    "when the request has %s, then INVALID_ARGUMENT names %s",
    (_, patch, field) => {
      expect(fieldsOf({ ...valid, ...patch })).toEqual([field]);
    },
  );

  it("when the second line is bad, then the violation names its index", () => {
    const lines = [
      { sku: "OK-1", quantity: 1 },
      { sku: "OK-2", quantity: 0 },
    ];
    expect(fieldsOf({ ...valid, lines })).toEqual(["lines[1].quantity"]);
  });

  it("when several fields are bad, then every one is named", () => {
    const input = {
      orderId: "",
      lines: [{ sku: "bad", quantity: 0 }],
      address: { ...address, city: "", countryCode: "xx" },
    };
    expect(fieldsOf(input)).toEqual([
      "order_id",
      "lines[0].sku",
      "lines[0].quantity",
      "address.city",
      "address.country_code",
    ]);
  });

  it("when a JSON body carries wrong types, then the fields are named instead of failing", () => {
    const input = {
      orderId: 7,
      lines: [null, { sku: 5, quantity: "2" }],
      address: { name: null, line1: "x", line2: 3, city: "x", postalCode: "x", countryCode: "DE" },
    } as unknown as CreateShipmentInput;
    expect(fieldsOf(input)).toEqual([
      "order_id",
      "lines[0].sku",
      "lines[0].quantity",
      "lines[1].sku",
      "lines[1].quantity",
      "address.name",
      "address.line2",
    ]);
  });

  it("when the customer id is given, then it is kept", () => {
    expect(validateCreateShipment({ ...valid, customerId: "customer-7" }).customerId).toBe("customer-7");
  });

  it("when the order id has 128 characters, then it is accepted", () => {
    expect(validateCreateShipment({ ...valid, orderId: "é".repeat(128) }).orderId).toHaveLength(128);
  });
});
