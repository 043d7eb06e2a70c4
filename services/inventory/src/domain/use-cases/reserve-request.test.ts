import { describe, expect, it } from "vitest";
import { caught, violatedFields } from "../testing/caught.ts";
import { parseReserveRequest } from "./reserve-request.ts";

describe("reserve request", () => {
  it("when every field is fine, then the request comes back as sent", () => {
    const lines = [
      { sku: "B", quantity: 1 },
      { sku: "A", quantity: 3 },
    ];
    expect(parseReserveRequest({ reservationId: "order-1:reserve", lines })).toEqual({
      reservationId: "order-1:reserve",
      lines,
    });
  });

  it("when a SKU is listed twice, then the second line's sku is named and points at the first", async () => {
    const error = await caught(() =>
      parseReserveRequest({
        reservationId: "r",
        lines: [
          { sku: "A", quantity: 1 },
          { sku: "B", quantity: 1 },
          { sku: "A", quantity: 2 },
        ],
      }),
    );
    expect(error).toMatchObject({
      codeName: "INVALID_ARGUMENT",
      reason: "VALIDATION_FAILED",
      details: {
        field: "lines[2].sku",
        violations: [
          { field: "lines[2].sku", description: "repeats lines[0].sku; put the total quantity on one line" },
        ],
      },
    });
  });

  it("when several fields are wrong, then every one of them is named", async () => {
    const fields = await violatedFields(() =>
      parseReserveRequest({
        reservationId: "",
        lines: [
          { sku: "ok-not", quantity: 1 },
          { sku: "B", quantity: 0 },
          { sku: "C", quantity: 1.5 },
        ],
      }),
    );
    expect(fields).toEqual(["reservation_id", "lines[0].sku", "lines[1].quantity", "lines[2].quantity"]);
  });

  it("when there are no lines or more than 100, then lines is named", async () => {
    expect(await violatedFields(() => parseReserveRequest({ reservationId: "r", lines: [] }))).toEqual([
      "lines",
    ]);
    const many = Array.from({ length: 101 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 }));
    expect(await violatedFields(() => parseReserveRequest({ reservationId: "r", lines: many }))).toEqual([
      "lines",
    ]);
  });

  it("when the reservation id is longer than 128 characters, then reservation_id is named", async () => {
    const fields = await violatedFields(() =>
      parseReserveRequest({ reservationId: "r".repeat(129), lines: [{ sku: "A", quantity: 1 }] }),
    );
    expect(fields).toEqual(["reservation_id"]);
  });
});
