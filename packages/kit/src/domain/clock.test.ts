import { describe, expect, it } from "vitest";
import { offsetClock, systemClock } from "./clock.ts";

describe("offsetClock", () => {
  it("when the offset is one hour, then now() reads an hour ahead of the system clock", () => {
    const before = Date.now();
    const jumped = offsetClock(3_600_000).now().getTime();
    const after = Date.now();

    expect(jumped).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(jumped).toBeLessThanOrEqual(after + 3_600_000);
  });

  it("when the offset is negative, then now() reads behind the system clock", () => {
    const before = Date.now();
    const behind = offsetClock(-60_000).now().getTime();
    const after = Date.now();

    expect(behind).toBeGreaterThanOrEqual(before - 60_000);
    expect(behind).toBeLessThanOrEqual(after - 60_000);
  });

  it("when the offset is 0, then the clock is the system clock itself", () => {
    expect(offsetClock(0)).toBe(systemClock);
  });
});
