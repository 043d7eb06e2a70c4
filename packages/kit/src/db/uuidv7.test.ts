import { describe, expect, it } from "vitest";
import { uuidv7 } from "./uuidv7.ts";

describe("uuidv7", () => {
  it("when generated, then it is a canonical RFC 9562 version 7 UUID", () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("when generated at a given time, then its first 48 bits are that Unix millisecond", () => {
    const at = Date.UTC(2026, 10, 21, 12, 30, 45, 123);
    const id = uuidv7(at);
    expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("when generated in later milliseconds, then ids sort in time order", () => {
    const ids = [1_000, 2_000, 1_700_000_000_000, 1_700_000_000_001].map((ms) => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it("when generated one after another, then each sorts after the one before, within a millisecond too", () => {
    const ids = Array.from({ length: 1_000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1_000);
  });

  it("when generated many times in the same millisecond, then all are distinct", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
