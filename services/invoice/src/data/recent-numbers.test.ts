import { describe, expect, it } from "vitest";
import { RecentNumbers } from "./recent-numbers.ts";

describe("RecentNumbers", () => {
  it("when a number was added, then it is taken once and then no longer known", () => {
    const recent = new RecentNumbers();
    recent.add("a", "INV-2026-000001");
    expect(recent.take("a")).toBe("INV-2026-000001");
    expect(recent.take("a")).toBeUndefined();
    expect(recent.take("never-added")).toBeUndefined();
  });

  it("when more numbers are added than it holds, then the oldest untaken ones are dropped", () => {
    const recent = new RecentNumbers(2);
    recent.add("a", "1");
    recent.add("b", "2");
    recent.add("c", "3");
    expect(recent.take("a")).toBeUndefined();
    expect(recent.take("b")).toBe("2");
    expect(recent.take("c")).toBe("3");
  });
});
