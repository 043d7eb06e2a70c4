import { describe, expect, it } from "vitest";
import { violatedFields } from "../testing/caught.ts";
import { Violations } from "../values/violations.ts";
import { resolvePageSize } from "./page-size.ts";
import {
  decodeAdjustmentsPageToken,
  decodeItemsPageToken,
  encodeAdjustmentsPageToken,
  encodeItemsPageToken,
} from "./page-token.ts";

function strictly<T>(read: (violations: Violations) => T): T {
  const violations = new Violations();
  const value = read(violations);
  violations.throwIfAny();
  return value;
}

describe("page size", () => {
  it("when page_size is 0 or absent, then a page holds 50", () => {
    expect(strictly((v) => resolvePageSize(0, v))).toBe(50);
    expect(strictly((v) => resolvePageSize(undefined, v))).toBe(50);
  });

  it("when page_size is outside 0..100, then page_size is named", async () => {
    for (const size of [-1, 101, 2.5]) {
      expect(await violatedFields(() => strictly((v) => resolvePageSize(size, v)))).toEqual(["page_size"]);
    }
  });
});

describe("page tokens", () => {
  it("when a token comes from an items page, then it continues after that SKU", () => {
    const token = encodeItemsPageToken("SKU-7");
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(strictly((v) => decodeItemsPageToken(token, v))).toBe("SKU-7");
  });

  it("when a token comes from an adjustments page of the same SKU, then it continues after that entry", () => {
    const token = encodeAdjustmentsPageToken("SKU-7", 42);
    expect(strictly((v) => decodeAdjustmentsPageToken(token, "SKU-7", v))).toBe(42);
  });

  it("when a token is garbage, from another list or for another SKU, then page_token is named", async () => {
    const refused = [
      () => strictly((v) => decodeItemsPageToken("not a token!", v)),
      () => strictly((v) => decodeItemsPageToken(Buffer.from("[1]").toString("base64url"), v)),
      () => strictly((v) => decodeItemsPageToken(encodeAdjustmentsPageToken("SKU-7", 1), v)),
      () => strictly((v) => decodeAdjustmentsPageToken(encodeItemsPageToken("SKU-7"), "SKU-7", v)),
      () => strictly((v) => decodeAdjustmentsPageToken(encodeAdjustmentsPageToken("SKU-7", 1), "SKU-8", v)),
    ];
    for (const decode of refused) expect(await violatedFields(decode)).toEqual(["page_token"]);
  });
});
