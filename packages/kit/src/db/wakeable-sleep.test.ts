import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WakeableSleep } from "./wakeable-sleep.ts";

describe("WakeableSleep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = (promise: Promise<void>) => {
    const state = { done: false };
    void promise.then(() => {
      state.done = true;
    });
    return state;
  };

  it("when nothing wakes it, then it ends after the delay and not before", async () => {
    const sleep = settled(new WakeableSleep().sleep(1_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(sleep.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(sleep.done).toBe(true);
  });

  it("when woken during the pause, then it ends at once", async () => {
    const pause = new WakeableSleep();
    const sleep = settled(pause.sleep(60_000));
    pause.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(sleep.done).toBe(true);
  });

  it("when woken while the loop is busy, then only the next pause ends at once", async () => {
    const pause = new WakeableSleep();
    pause.wake();
    const first = settled(pause.sleep(60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done).toBe(true);
    const second = settled(pause.sleep(60_000));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(second.done).toBe(false);
  });
});
