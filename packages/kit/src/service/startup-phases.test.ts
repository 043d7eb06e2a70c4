import { describe, expect, it } from "vitest";
import { StartupPhases } from "./startup-phases.ts";

describe("StartupPhases", () => {
  it("when phases end, then the summary gives each one's duration in order, a repeated name added up", () => {
    const phases = new StartupPhases(100);
    phases.end("database", 130);
    phases.end("migrate", 145.5);
    phases.end("database", 150);
    const summary = phases.summary(160, { user: 90_000, system: 12_500 });
    expect(Object.entries(summary.phasesMs)).toEqual([
      ["load", 100],
      ["database", 34.5],
      ["migrate", 15.5],
    ]);
    expect(summary.startupMs).toBe(160);
  });

  it("when summarised, then the start-up CPU time is user plus system time in ms", () => {
    const summary = new StartupPhases(0).summary(10, { user: 412_340, system: 87_660 });
    expect(summary.startupCpuMs).toBe(500);
  });
});
