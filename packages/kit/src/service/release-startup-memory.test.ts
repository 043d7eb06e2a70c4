import { describe, expect, it } from "vitest";
import { releaseStartupMemory } from "./release-startup-memory.ts";

describe("releaseStartupMemory", () => {
  it("when start-up memory is released, then the process keeps working and its global scope gains no gc function", () => {
    const before = { kept: "value" };
    releaseStartupMemory();
    releaseStartupMemory();
    expect(before.kept).toBe("value");
    expect("gc" in globalThis).toBe(false);
  });
});
