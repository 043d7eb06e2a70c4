import { describe, expect, it } from "vitest";
import { parseGoDuration } from "./go-duration.ts";

describe("parseGoDuration", () => {
  it("when given Go durations, then it returns milliseconds", () => {
    expect(parseGoDuration("10s")).toBe(10_000);
    expect(parseGoDuration("1m30s")).toBe(90_000);
    expect(parseGoDuration("250ms")).toBe(250);
    expect(parseGoDuration("1.5h")).toBe(5_400_000);
    expect(parseGoDuration("0")).toBe(0);
  });

  it("when given something Go rejects, then it returns undefined", () => {
    expect(parseGoDuration("10")).toBeUndefined();
    expect(parseGoDuration("")).toBeUndefined();
    expect(parseGoDuration("5 minutes")).toBeUndefined();
    expect(parseGoDuration("s")).toBeUndefined();
  });
});
