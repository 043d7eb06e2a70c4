import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReservationExpiryJob } from "./reservation-expiry.job.ts";

describe("reservation expiry job", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const clock = () => new Date("2026-01-01T12:00:00Z");

  it("when started, then it sweeps once per interval with the clock's time", async () => {
    const sweeps: Date[] = [];
    const job = new ReservationExpiryJob({
      expireReservations: async (now) => {
        sweeps.push(now);
        return 0;
      },
      intervalMs: 1_000,
      now: clock,
      onError: () => {},
    });

    job.start();
    expect(sweeps).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sweeps).toEqual([clock(), clock(), clock()]);
    await job.stop();
  });

  it("when a sweep fails, then the error is reported and the next sweep still runs", async () => {
    const errors: unknown[] = [];
    const expired: number[] = [];
    let calls = 0;
    const job = new ReservationExpiryJob({
      expireReservations: async () => {
        calls += 1;
        if (calls === 1) throw new Error("database unavailable");
        return 2;
      },
      intervalMs: 1_000,
      now: clock,
      onError: (error) => errors.push(error),
      onExpired: (count) => expired.push(count),
    });

    job.start();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(errors).toEqual([new Error("database unavailable")]);
    expect(expired).toEqual([2]);
    await job.stop();
  });

  it("when stopped during a sweep, then stop waits for it and no further sweep starts", async () => {
    let finishSweep = () => {};
    let calls = 0;
    const job = new ReservationExpiryJob({
      expireReservations: () => {
        calls += 1;
        return new Promise<number>((resolve) => {
          finishSweep = () => resolve(1);
        });
      },
      intervalMs: 1_000,
      now: clock,
      onError: () => {},
    });

    job.start();
    await vi.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);

    finishSweep();
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(true);
    expect(calls).toBe(1);
  });
});
