import { describe, expect, it } from "vitest";
import { GradientLimit, type GradientLimitOptions } from "./gradient-limit.ts";

/** A limit and a fake clock; `window` feeds one full window (10 samples over 250 ms). */
function limitUnderTest(options: Partial<GradientLimitOptions> = {}) {
  const limit = new GradientLimit({ minLimit: 4, maxLimit: 100, ...options });
  let now = 0;
  const window = (rttMs: number, inFlight: number, { shed = false } = {}) => {
    if (shed) limit.onRejected();
    for (let i = 0; i < 10; i++) {
      now += 25;
      limit.onSample({ rttMs, inFlight, at: now });
    }
    return limit.limit;
  };
  return { limit, window, elapsed: () => now };
}

describe("gradient limit", () => {
  it("when nothing has been measured yet, then the limit is the ceiling: no request is refused before latency says so", () => {
    expect(new GradientLimit({ minLimit: 4, maxLimit: 100 }).limit).toBe(100);
    expect(new GradientLimit({ minLimit: 4, maxLimit: 100, initialLimit: 500 }).limit).toBe(100);
  });

  // A fixed baseline (no half-life) where a test is about the limit alone.
  const fixedBaseline = { baselineHalfLifeMs: Number.POSITIVE_INFINITY };

  it("when the latency doubles past the tolerance for two windows in a row, then the limit drops to gradient x the requests in flight", () => {
    const { window } = limitUnderTest(fixedBaseline);
    window(100, 30);

    const afterOneSlowWindow = window(400, 30);
    const afterTwo = window(400, 30);

    // One slow window is noise; two in a row is a queue: 2 x 100 / 400 = 0.5 of the 30 in use.
    expect(afterOneSlowWindow).toBe(100);
    expect(afterTwo).toBe(15);
  });

  it("when the latency stays within the tolerance, then the limit does not come down", () => {
    const { window } = limitUnderTest({ maxLimit: 40 });
    window(100, 30);
    const limits = [window(190, 30), window(150, 30), window(199, 30)];
    expect(limits).toEqual([40, 40, 40]);
  });

  it("when the latency is back at the baseline and the limit is in use, then it grows by sqrt(limit) / 2 per window, up to the ceiling", () => {
    const { window } = limitUnderTest({ maxLimit: 20, ...fixedBaseline });
    window(100, 16);
    window(400, 16);
    expect(window(400, 16)).toBe(8);

    const grown = [window(100, 8), window(100, 8), window(100, 9)];
    for (let i = 0; i < 30; i++) window(100, 20);

    // 8 + sqrt(8)/2 = 9.41, + sqrt(9.41)/2 = 10.95, + 1.65 = 12.6
    expect(grown).toEqual([9, 10, 12]);
    expect(window(100, 20)).toBe(20);
  });

  it("when fewer than half the limit are in use, then it does not grow: an unused limit would let the next burst in unchecked", () => {
    const { window } = limitUnderTest({ maxLimit: 20, ...fixedBaseline });
    window(100, 16);
    window(400, 16);
    window(400, 16);

    expect([window(100, 3), window(100, 3), window(100, 3)]).toEqual([8, 8, 8]);
  });

  it("when no more requests than the floor are in flight, then a slow window takes nothing back: our own queue cannot be the cause", () => {
    const { window } = limitUnderTest();
    window(100, 4);
    expect([window(900, 4), window(900, 4), window(900, 3)]).toEqual([100, 100, 100]);
  });

  it("never goes below the floor", () => {
    const { window } = limitUnderTest({ minLimit: 6 });
    window(100, 50);
    for (let i = 0; i < 20; i++) window(5000, 50);
    expect(window(5000, 50)).toBe(6);
  });

  it("when requests are being refused, then the baseline stays put: sustained overload does not teach it that slow is normal", () => {
    const { limit, window } = limitUnderTest();
    window(100, 40);
    for (let i = 0; i < 200; i++) window(180, 20, { shed: true });
    expect(limit.baselineMs).toBe(100);
  });

  it("when a higher latency persists with nothing refused, then the baseline follows it with a 10 s half-life", () => {
    const { limit, window, elapsed } = limitUnderTest();
    window(100, 2);
    const from = elapsed();
    while (elapsed() - from < 10_000) window(300, 2);
    // Half of the way from 100 to 300 in 10 s (40 windows of 250 ms).
    expect(limit.baselineMs).toBeCloseTo(200, 0);
  });

  it("when the limit is at its floor and still refusing, then the baseline follows the latency: at the floor there is no queue of ours left", () => {
    const { limit, window } = limitUnderTest({ minLimit: 4 });
    window(100, 20);
    for (let i = 0; i < 10; i++) window(600, 20, { shed: true });
    expect(limit.limit).toBe(4);
    const stuckAt = limit.baselineMs as number;
    for (let i = 0; i < 80; i++) window(600, 4, { shed: true });

    expect(stuckAt).toBeLessThan(150);
    // A slower peer, not a queue: the baseline has taken it in and the limit opens again.
    expect(limit.baselineMs).toBeGreaterThan(300);
    expect(limit.limit).toBeGreaterThan(4);
  });

  it("when a window has fewer than 10 samples or spans under 250 ms, then it has not closed yet", () => {
    const limit = new GradientLimit({ minLimit: 4, maxLimit: 100 });
    for (let i = 0; i < 9; i++) limit.onSample({ rttMs: 100, inFlight: 50, at: i * 100 });
    expect(limit.baselineMs).toBeUndefined();
    limit.onSample({ rttMs: 100, inFlight: 50, at: 900 });
    expect(limit.baselineMs).toBe(100);
    for (let i = 0; i < 20; i++) limit.onSample({ rttMs: 50, inFlight: 50, at: 901 + i });
    // 20 samples in 20 ms: still one open window.
    expect(limit.baselineMs).toBe(100);
  });
});
