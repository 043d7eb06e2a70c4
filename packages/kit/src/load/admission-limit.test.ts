import { describe, expect, it } from "vitest";
import { AdmissionLimit, admissionLimitFor } from "./admission-limit.ts";
import { type ConcurrencyLimit, FixedLimit, type LatencySample } from "./concurrency-limit.ts";
import { GradientLimit } from "./gradient-limit.ts";

describe("admission limit", () => {
  it("when the limit is reached, then the next request is refused, and one more fits once a permit is released", () => {
    const admission = new AdmissionLimit(new FixedLimit(2));
    const first = admission.tryAcquire();
    const second = admission.tryAcquire();

    const refused = admission.tryAcquire();
    first?.release(true);
    first?.release(true);
    const third = admission.tryAcquire();

    expect([first, second, third].every((p) => p !== undefined)).toBe(true);
    expect(refused).toBeUndefined();
    // Released twice, counted once.
    expect(admission.inFlight).toBe(2);
    expect(admission.tryAcquire()).toBeUndefined();
  });

  it("when a permit is released measured, then the algorithm gets its latency on the limit's clock and the requests in flight at its admission", () => {
    const samples: LatencySample[] = [];
    const rejected: number[] = [];
    let now = 1000;
    const admission = new AdmissionLimit(
      { limit: 2, onSample: (s) => samples.push(s), onRejected: (at) => rejected.push(at) },
      () => now,
    );
    const a = admission.tryAcquire();
    now = 1010;
    const b = admission.tryAcquire();
    admission.tryAcquire();
    now = 1100;
    a?.release(true);
    b?.release(false);

    expect(samples).toEqual([{ rttMs: 100, inFlight: 1, at: 1100 }]);
    expect(rejected).toEqual([1010]);
  });

  it("builds what the policy asks for: nothing when off, a fixed limit when static, the gradient limit when adaptive", () => {
    expect(admissionLimitFor({ mode: "off" })).toBeUndefined();
    expect(admissionLimitFor({ mode: "static", limit: 8 })?.limit).toBe(8);
    expect(admissionLimitFor({ mode: "adaptive", minLimit: 4, maxLimit: 300 })?.limit).toBe(300);
  });
});

const gradient = () => new GradientLimit({ minLimit: 4, maxLimit: 1000 });

/**
 * A server that shares `slots` workers among the requests in flight (processor sharing): alone, a
 * request takes `workMs`; with n > slots in flight each gets slots / n of a worker. Requests arrive
 * at a fixed rate; admission decides at arrival. Time advances in 1 ms steps on a fake clock.
 */
function simulate(phases: { rate: number; ms: number }[], limit: ConcurrencyLimit = gradient()) {
  const slots = 8;
  const workMs = 100;
  let now = 0;
  const admission = new AdmissionLimit(limit, () => now);
  const running: { left: number; startedAt: number; release: (m: boolean) => void }[] = [];
  const done: { startedAt: number; endedAt: number }[] = [];
  const refused: number[] = [];
  let owed = 0;
  for (const phase of phases) {
    for (let t = 0; t < phase.ms; t++) {
      now++;
      const share = running.length > slots ? slots / running.length : 1;
      for (const r of running) r.left -= share;
      for (let i = running.length - 1; i >= 0; i--) {
        const r = running[i] as (typeof running)[number];
        if (r.left > 0) continue;
        running.splice(i, 1);
        r.release(true);
        done.push({ startedAt: r.startedAt, endedAt: now });
      }
      owed += phase.rate / 1000;
      for (; owed >= 1; owed--) {
        const permit = admission.tryAcquire();
        if (permit) running.push({ left: workMs, startedAt: now, release: (m) => permit.release(m) });
        else refused.push(now);
      }
    }
  }
  const p99 = (from: number, to: number) => {
    const ms = done
      .filter((d) => d.startedAt >= from && d.startedAt < to)
      .map((d) => d.endedAt - d.startedAt)
      .sort((a, b) => a - b);
    return ms[Math.floor(ms.length * 0.99)] ?? 0;
  };
  return { admission, done, refused, p99 };
}

describe("adaptive admission under overload (simulated server, fake clock)", () => {
  // Capacity: 8 slots / 100 ms = 80 requests/s; the steady load is half of it.
  const steady = { rate: 40, ms: 20_000 };
  const surge = { rate: 240, ms: 60_000 };
  const after = { rate: 40, ms: 10_000 };

  // The limit starts at its ceiling (so a burst from idle is never refused before latency says
  // so): requests admitted in the first seconds of a surge, before the first congested windows
  // close, still queue. The goal is checked from 5 s into the surge; the onset is measured in
  // bench/chaos (the overload row's admitted p99 covers the whole surge).
  it("when offered 3x capacity for 60 s, then it sheds, keeps admitted p99 under 4x the unloaded p99 once the limit has come down, and refuses nothing 5 s after the load drops", () => {
    const { refused, p99, admission } = simulate([steady, surge, after]);
    const surgeStart = steady.ms;
    const surgeEnd = surgeStart + surge.ms;
    const unloaded = p99(5000, surgeStart);
    const shed = refused.filter((t) => t > surgeStart && t <= surgeEnd).length;

    // The excess is (240 - 80) x 60 = 9600 requests: most of it is refused, not queued.
    expect(shed).toBeGreaterThan(0.9 * 9600);
    expect(p99(surgeStart + 5000, surgeEnd)).toBeLessThan(4 * unloaded);
    expect(refused.filter((t) => t > surgeEnd + 5000)).toEqual([]);
    // Settled near the server's own concurrency, not at the ceiling nor the floor.
    expect(admission.limit).toBeGreaterThan(8);
    expect(admission.limit).toBeLessThan(40);
  });

  it("when the same surge meets no limit, then admitted p99 is far past 4x the unloaded p99 (the model does overload)", () => {
    const { p99 } = simulate([steady, { rate: 240, ms: 10_000 }], new FixedLimit(Number.MAX_SAFE_INTEGER));
    expect(p99(steady.ms, steady.ms + 10_000)).toBeGreaterThan(4 * p99(5000, steady.ms));
  });
});
