import { type AppError, Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import {
  type ListShipmentsInput,
  nextPageToken,
  validateListShipments,
} from "./list-shipments.validation.ts";

const ID = "0190f3a2-0000-7000-8000-000000000001";

function rejectedField(input: ListShipmentsInput): string {
  try {
    validateListShipments(input);
  } catch (error) {
    expect((error as AppError).code).toBe(Code.INVALID_ARGUMENT);
    return (error as AppError).details.field as string;
  }
  throw new Error("expected a validation error");
}

describe("ListShipments validation", () => {
  it("when nothing is given, then every shipment is listed 50 at a time from the start", () => {
    expect(validateListShipments({})).toEqual({
      orderId: null,
      customerId: null,
      status: null,
      pageSize: 50,
      afterId: null,
    });
  });

  it("when page_size is 0 and filters are empty, then the defaults apply", () => {
    expect(
      validateListShipments({
        orderId: "",
        customerId: "",
        status: "UNSPECIFIED",
        pageSize: 0,
        pageToken: "",
      }),
    ).toEqual({
      orderId: null,
      customerId: null,
      status: null,
      pageSize: 50,
      afterId: null,
    });
  });

  it.each([1, 100])("when page_size is %i, then it is used", (pageSize) => {
    expect(validateListShipments({ pageSize }).pageSize).toBe(pageSize);
  });

  it.each([
    ["page_size", { pageSize: -1 }],
    ["page_size", { pageSize: 101 }],
    ["page_size", { pageSize: 2.5 }],
    ["status", { status: "LOST" }],
    ["order_id", { orderId: "x".repeat(129) }],
    ["order_id", { orderId: "order\u0000-1" }],
    ["customer_id", { customerId: "x".repeat(129) }],
    ["customer_id", { customerId: "customer\u0000-1" }],
    ["page_token", { pageToken: "not a token" }],
    [
      "page_token",
      {
        pageToken: Buffer.from(
          '{"list":"shipments","after":"x; drop","order_id":"","customer_id":"","status":""}',
        ).toString("base64url"),
      },
    ],
    [
      "page_token",
      {
        pageToken: Buffer.from(
          `{"list":"orders","after":"${ID}","order_id":"","customer_id":"","status":""}`,
        ).toString("base64url"),
      },
    ],
  ] satisfies Array<[string, ListShipmentsInput]>)(
    "when %s is bad, then INVALID_ARGUMENT names it",
    (field, input) => {
      expect(rejectedField(input)).toBe(field);
    },
  );

  it("when a page token comes back with the same filters, then listing resumes after its shipment", () => {
    const pageToken = nextPageToken(ID, { orderId: null, customerId: null, status: "SHIPPED" });

    expect(validateListShipments({ status: "SHIPPED", pageToken }).afterId).toBe(ID);
  });

  it("when a page token comes back with other filters, then it is refused", () => {
    const pageToken = nextPageToken(ID, { orderId: null, customerId: null, status: "SHIPPED" });

    expect(rejectedField({ status: "PENDING", pageToken })).toBe("page_token");
    expect(rejectedField({ status: "SHIPPED", orderId: "order-1", pageToken })).toBe("page_token");
    expect(rejectedField({ status: "SHIPPED", customerId: "customer-1", pageToken })).toBe("page_token");
  });
});
