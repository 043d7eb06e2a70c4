import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "./backoff.ts";

const options = { initialMs: 200, maxMs: 30_000 };

describe("backoffDelayMs", () => {
  it("when the random draw is at its top, then the delay doubles per attempt up to maxMs", () => {
    const top = () => 0.999_999_999;
    expect([1, 2, 3, 4, 10, 30].map((attempt) => backoffDelayMs(attempt, options, top))).toEqual([
      199, 399, 799, 1599, 29_999, 29_999,
    ]);
  });

  it("when the random draw is at its bottom, then the delay is zero (full jitter)", () => {
    expect(backoffDelayMs(5, options, () => 0)).toBe(0);
  });

  it("when drawing many delays, then each stays within [0, ceiling)", () => {
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelayMs(3, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(800);
    }
  });
});
