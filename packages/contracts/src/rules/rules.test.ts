import { describe, expect, it } from "vitest";
import {
  addressProblems,
  lineQuantityProblem,
  orderLinesProblems,
  skuProblem,
  textProblem,
} from "./index.ts";

const address = {
  name: "Ada",
  line1: "12 Analytical St",
  line2: "",
  city: "London",
  postalCode: "N1",
  countryCode: "GB",
};

describe("wire rules", () => {
  it.each([
    ["MUG-BLUE", undefined],
    ["", "is required"],
    ["mug", "must contain only upper-case letters, digits and dashes"],
    ["A".repeat(65), "must be at most 64 characters"],
  ])("when the SKU is %j, then the problem is %j", (sku, problem) => {
    expect(skuProblem(sku)).toBe(problem);
  });

  it.each([
    [1, undefined],
    [1000, undefined],
    [1000n, undefined],
    [0, "must be a whole number from 1 to 1000"],
    [1001, "must be a whole number from 1 to 1000"],
    [1.5, "must be a whole number from 1 to 1000"],
    [10n ** 30n, "must be a whole number from 1 to 1000"],
  ])("when the quantity is %s, then the problem is %j", (quantity, problem) => {
    expect(lineQuantityProblem(quantity)).toBe(problem);
  });

  it.each<[string, unknown, [string, string][]]>([
    ["one good line", [{ sku: "MUG", quantity: 2 }], []],
    ["not a list", { sku: "MUG" }, [["lines", "must be a list of lines"]]],
    ["no lines", [], [["lines", "must contain at least one line"]]],
    [
      "101 lines (not read one by one)",
      Array.from({ length: 101 }, () => ({ sku: "mug", quantity: 0 })),
      [["lines", "must contain at most 100 lines"]],
    ],
    [
      "a SKU twice",
      [
        { sku: "MUG", quantity: 1 },
        { sku: "CAP", quantity: 1 },
        { sku: "MUG", quantity: 3 },
      ],
      [["lines[2].sku", "repeats lines[0].sku; put the total quantity on one line"]],
    ],
    [
      "a bad SKU and a bad quantity on one line, a null line",
      [{ sku: "mug", quantity: 1001 }, null],
      [
        ["lines[0].sku", "must contain only upper-case letters, digits and dashes"],
        ["lines[0].quantity", "must be a whole number from 1 to 1000"],
        ["lines[1].sku", "is required"],
        ["lines[1].quantity", "must be a whole number from 1 to 1000"],
      ],
    ],
  ])("when the lines are %s, then the problems are as listed", (_case, lines, problems) => {
    expect(orderLinesProblems(lines)).toEqual(problems);
  });

  it.each([
    ["Zoë Łukasz 東京", undefined],
    ["a\u0000b", "must not contain control characters"],
    ["a\ud800b", "must be valid Unicode text"],
    ["   ", "is required"],
    ["x".repeat(17), "must be at most 16 characters"],
  ])("when text is %j, then the problem is %j", (text, problem) => {
    expect(textProblem(text, { min: 1, max: 16 })).toBe(problem);
  });

  it("when an address has a reserved country code and a NUL in its city, then both fields are named", () => {
    expect(
      addressProblems({ ...address, countryCode: "XX", city: "Lon\u0000don" }, "shipping_address"),
    ).toEqual([
      ["shipping_address.city", "must not contain control characters"],
      [
        "shipping_address.country_code",
        "must be an assigned ISO 3166-1 alpha-2 code in upper case (US, DE, JP)",
      ],
    ]);
    expect(addressProblems(address, "shipping_address")).toEqual([]);
  });
});
