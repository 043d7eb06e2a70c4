import { describe, expect, it } from "vitest";
import { outgoingDeadline } from "./deadline.ts";

const NOW = 1_000_000;

describe("outgoingDeadline", () => {
  it("when no call is being served, then the call's own deadline or the client default applies", () => {
    expect(outgoingDeadline(undefined, 5000, undefined, NOW)).toBe(NOW + 5000);
    expect(outgoingDeadline({ deadlineMs: 200 }, 5000, undefined, NOW)).toBe(NOW + 200);
    expect(outgoingDeadline({ deadline: new Date(NOW + 50), deadlineMs: 200 }, 5000, undefined, NOW)).toBe(
      NOW + 50,
    );
  });

  it("when the call being served has a tighter deadline, then the outgoing call inherits it", () => {
    expect(outgoingDeadline(undefined, 5000, NOW + 300, NOW)).toBe(NOW + 300);
    expect(outgoingDeadline({ deadlineMs: 1000 }, 5000, NOW + 300, NOW)).toBe(NOW + 300);
  });

  it("when the outgoing call's own deadline is tighter, then it keeps its own", () => {
    expect(outgoingDeadline({ deadlineMs: 100 }, 5000, NOW + 300, NOW)).toBe(NOW + 100);
  });

  it("when a stream sets no deadline and none is inherited, then it has none", () => {
    expect(outgoingDeadline(undefined, undefined, undefined, NOW)).toBeUndefined();
    expect(outgoingDeadline(undefined, undefined, NOW + 300, NOW)).toBe(NOW + 300);
  });
});
