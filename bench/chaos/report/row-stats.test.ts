import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../load/order-client.ts";
import { rowStats } from "./row-stats.ts";

const rec = (startedAt: number, latency: number, extra: Partial<RequestRecord> = {}): RequestRecord => ({
  startedAt,
  endedAt: startedAt + latency,
  ok: true,
  attempts: 1,
  first: "201",
  final: "201",
  ...extra,
});

describe("rowStats", () => {
  const phases = { injectedAt: 1000, healedAt: 2000, endedAt: 6000 };

  it("when requests after the heal are slow at first and then clean, then recovery is when the clean run began", () => {
    const records = [
      rec(100, 10),
      rec(1500, 900, { attempts: 2, first: "503" }),
      rec(2100, 400),
      rec(2600, 10),
      rec(3000, 12),
      rec(4700, 12),
      // One slow request later on does not undo the recovery.
      rec(5000, 400),
    ];
    const stats = rowStats(records, phases, 50);
    expect(stats.recoverMs).toBe(600);
    expect(stats.retried).toBe(1);
    expect(stats.firstAttemptShed).toBe(1);
    expect(stats.failed).toBe(0);
    expect(stats.p99DuringMs).toBe(900);
  });

  it("when no 2 s stretch after the heal is clean, then the row says it never recovered", () => {
    const records = [
      rec(2100, 10),
      rec(3000, 30_000, { ok: false, final: "timeout", first: "timeout" }),
      rec(3500, 10),
      rec(5000, 900),
    ];
    const stats = rowStats(records, phases, 50);
    expect(stats.recoverMs).toBeUndefined();
    expect(stats.failed).toBe(1);
    expect(stats.failures).toEqual({ timeout: 1 });
  });

  it("when a request started before the fault is answered after it hit, then it counts as during", () => {
    const stats = rowStats([rec(100, 10), rec(900, 900)], phases, 50);
    expect(stats.p99BeforeMs).toBe(10);
    expect(stats.p99DuringMs).toBe(900);
  });

  it("when nothing went wrong after the heal, then recovery is immediate", () => {
    expect(rowStats([rec(2100, 10), rec(2200, 11)], phases, 50).recoverMs).toBe(0);
  });
});
