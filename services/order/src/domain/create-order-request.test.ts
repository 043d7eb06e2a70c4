import { Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { requestFingerprint, validateCreateOrder } from "./create-order-request.ts";
import { VALID_CREATE_ORDER_REQUEST } from "./testing/create-order-request.fixture.ts";

const valid = VALID_CREATE_ORDER_REQUEST;
const address = valid.shippingAddress;

describe("validateCreateOrder", () => {
  it("when the request is valid, then it passes", () => {
    expect(() => validateCreateOrder(valid, "key")).not.toThrow();
  });

  it.each([undefined, "", "   "])("when the idempotency key is %j, then IDEMPOTENCY_KEY_MISSING", (key) => {
    expect(() => validateCreateOrder(valid, key)).toThrow(
      expect.objectContaining({ reason: "IDEMPOTENCY_KEY_MISSING" }),
    );
  });

  it.each([
    ["no lines", { lines: [] }, "lines"],
    [
      "101 lines",
      { lines: Array.from({ length: 101 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })) },
      "lines",
    ],
    ["a lower-case SKU", { lines: [{ sku: "mug", quantity: 1 }] }, "lines[0].sku"],
    [
      "the same SKU twice",
      {
        lines: [
          { sku: "A", quantity: 1 },
          { sku: "A", quantity: 1 },
        ],
      },
      "lines[1].sku",
    ],
    ["quantity 0", { lines: [{ sku: "A", quantity: 0 }] }, "lines[0].quantity"],
    ["quantity 1001", { lines: [{ sku: "A", quantity: 1001 }] }, "lines[0].quantity"],
    ["a fractional quantity", { lines: [{ sku: "A", quantity: 1.5 }] }, "lines[0].quantity"],
    ["no customer", { customerId: " " }, "customer_id"],
    ["a NUL in the customer id", { customerId: "a\u0000" }, "customer_id"],
    [
      "a lone surrogate in the name",
      { shippingAddress: { ...address, name: "\ud800" } },
      "shipping_address.name",
    ],
    ["country XX", { shippingAddress: { ...address, countryCode: "XX" } }, "shipping_address.country_code"],
    [
      "a lower-case country",
      { shippingAddress: { ...address, countryCode: "de" } },
      "shipping_address.country_code",
    ],
    [
      "a 21-character postal code",
      { shippingAddress: { ...address, postalCode: "1".repeat(21) } },
      "shipping_address.postal_code",
    ],
  ])("when the request has %s, then INVALID_ARGUMENT naming %s", (_, change, field) => {
    expect(() => validateCreateOrder({ ...valid, ...change }, "key")).toThrow(
      expect.objectContaining({
        code: Code.INVALID_ARGUMENT,
        details: expect.objectContaining({
          violations: expect.arrayContaining([expect.objectContaining({ field })]),
        }),
      }),
    );
  });
});

describe("requestFingerprint", () => {
  it("when two requests differ only in object identity, then they share a fingerprint; any field change makes another", () => {
    expect(requestFingerprint(structuredClone(valid))).toBe(requestFingerprint(valid));
    expect(requestFingerprint({ ...valid, lines: [{ sku: "MUG-1", quantity: 3 }] })).not.toBe(
      requestFingerprint(valid),
    );
    expect(requestFingerprint({ ...valid, shippingAddress: { ...address, line2: "x" } })).not.toBe(
      requestFingerprint(valid),
    );
  });
});
