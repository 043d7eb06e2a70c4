import { describe, expect, it } from "vitest";
import { DelaySchedule, NO_DELAY } from "./delay-schedule.ts";

describe("DelaySchedule", () => {
  it("when no fault is set, then a chunk is released the moment it arrives", () => {
    const schedule = new DelaySchedule();
    expect(schedule.releaseAt(1000, 500, NO_DELAY)).toBe(1000);
  });

  it("when latency is set, then every chunk is held that long", () => {
    const schedule = new DelaySchedule();
    const settings = { latencyMs: 50, jitterMs: 0, bytesPerSecond: 0 };
    expect(schedule.releaseAt(1000, 10, settings)).toBe(1050);
    expect(schedule.releaseAt(1200, 10, settings)).toBe(1250);
  });

  it("when jitter is set, then the extra delay is drawn from [0, jitter)", () => {
    const draws = [0, 0.5, 0.999];
    const schedule = new DelaySchedule(() => draws.shift() ?? 0);
    const settings = { latencyMs: 10, jitterMs: 100, bytesPerSecond: 0 };
    expect(schedule.releaseAt(0, 1, settings)).toBe(10);
    expect(schedule.releaseAt(1000, 1, settings)).toBe(1060);
    expect(schedule.releaseAt(2000, 1, settings)).toBeCloseTo(2109.9);
  });

  it("when jitter would overtake an earlier chunk, then bytes still leave in order", () => {
    const draws = [0.9, 0];
    const schedule = new DelaySchedule(() => draws.shift() ?? 0);
    const settings = { latencyMs: 0, jitterMs: 100, bytesPerSecond: 0 };
    const first = schedule.releaseAt(0, 1, settings);
    const second = schedule.releaseAt(1, 1, settings);
    expect(first).toBe(90);
    expect(second).toBe(90);
  });

  it("when bandwidth is limited, then back-to-back chunks queue behind each other", () => {
    const schedule = new DelaySchedule();
    const settings = { latencyMs: 0, jitterMs: 0, bytesPerSecond: 1000 };
    expect(schedule.releaseAt(0, 500, settings)).toBe(500);
    expect(schedule.releaseAt(0, 500, settings)).toBe(1000);
    // An idle link starts fresh.
    expect(schedule.releaseAt(5000, 100, settings)).toBe(5100);
  });
});
