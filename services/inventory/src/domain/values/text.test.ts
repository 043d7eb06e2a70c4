import { describe, expect, it } from "vitest";
import { textProblem } from "./text.ts";

describe("text", () => {
  const limits = { min: 1, max: 5 };

  it("when text is only whitespace, then it counts as missing", () => {
    expect(textProblem("   ", limits)).toBe("is required");
  });

  it("when text has characters outside the basic plane, then each counts once", () => {
    expect(textProblem("😀😀😀😀😀", limits)).toBeUndefined();
    expect(textProblem("😀😀😀😀😀😀", limits)).toBe("must be at most 5 characters");
  });
});
