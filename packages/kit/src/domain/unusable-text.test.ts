import { describe, expect, it } from "vitest";
import { findUnusableText } from "./unusable-text.ts";

describe("findUnusableText", () => {
  it.each([
    [
      { a: "ok", b: ["x", "y\u0000"] },
      { field: "body.b[1]", description: "must not contain NUL or other control characters" },
    ],
    [
      { a: { b: "\udc00" } },
      { field: "body.a.b", description: "must be valid Unicode text (no lone surrogates)" },
    ],
    [
      { "bad\u0001key": 1 },
      { field: "body.bad\u0001key", description: "name must not contain NUL or other control characters" },
    ],
    [{ a: "tab\tnew\nline\r 東京 😀" }, undefined],
    [{ n: 1, t: true, z: null }, undefined],
  ])("when the value is %j, then the finding is %j", (value, expected) => {
    expect(findUnusableText(value, "body")).toEqual(expected);
  });
});
