import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { decodePageToken, encodePageToken, resolvePageSize, Violations } from "./index.ts";

const isAfterSku = (body: Readonly<Record<string, unknown>>): body is { afterSku: string } =>
  typeof body.afterSku === "string";

describe("domain building blocks", () => {
  it("when violations are collected, then one INVALID_ARGUMENT names every field", () => {
    const violations = new Violations();
    violations.add("a", "is required");
    expect(violations.check("b", undefined)).toBe(true);
    expect(violations.check("c", "is too long")).toBe(false);
    const error = (() => {
      try {
        violations.throwIfAny();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.violations).toEqual([
      { field: "a", description: "is required" },
      { field: "c", description: "is too long" },
    ]);
  });

  it.each([
    [undefined, 50, true],
    [0, 50, true],
    [1, 1, true],
    [100, 100, true],
    [101, 50, false],
    [-1, 50, false],
  ])("when page_size is %s, then %s is used (valid: %s)", (value, used, valid) => {
    const violations = new Violations();
    expect(resolvePageSize(value, violations)).toBe(used);
    expect(violations.isEmpty).toBe(valid);
  });

  it("when a token round-trips, then its position comes back; another list's token is refused", () => {
    const token = encodePageToken("items", { afterSku: "MUG" });
    const violations = new Violations();
    expect(decodePageToken("items", token, isAfterSku, violations)).toMatchObject({ afterSku: "MUG" });
    expect(decodePageToken("items", undefined, isAfterSku, violations)).toBeUndefined();
    expect(violations.isEmpty).toBe(true);
    expect(decodePageToken("orders", token, isAfterSku, violations)).toBeUndefined();
    expect(decodePageToken("items", "not*a*token", isAfterSku, violations)).toBeUndefined();
    expect(violations.list.map((v) => v.field)).toEqual(["page_token", "page_token"]);
  });
});
