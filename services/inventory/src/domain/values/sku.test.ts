import { describe, expect, it } from "vitest";
import { skuProblem } from "./sku.ts";

describe("sku", () => {
  it.each(["A", "SKU-1", "0-9-Z", "X".repeat(64)])("when the SKU is %s, then it is accepted", (sku) => {
    expect(skuProblem(sku)).toBeUndefined();
  });

  it.each([
    ["", "is required"],
    [undefined, "is required"],
    ["sku-1", "must contain only upper-case letters, digits and dashes"],
    ["SKU 1", "must contain only upper-case letters, digits and dashes"],
    ["SKU_1", "must contain only upper-case letters, digits and dashes"],
    ["X".repeat(65), "must be at most 64 characters"],
  ])("when the SKU is %j, then it is refused with %j", (sku, problem) => {
    expect(skuProblem(sku)).toBe(problem);
  });
});
