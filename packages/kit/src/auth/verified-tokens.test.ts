import { describe, expect, it } from "vitest";
import type { Principal } from "./principal.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

const alice: Principal = { subject: "alice", scopes: new Set(["orders:read"]) };
const HOUR = 3_600_000;

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("VerifiedTokens", () => {
  it("when a verified token comes again within the cache age, then its principal is answered without a new check", () => {
    const time = clock();
    const cache = new VerifiedTokens({ maxAgeMs: 5000, now: time.now });

    cache.remember("t1", alice, time.now() + HOUR);
    time.advance(4999);

    expect(cache.get("t1")).toBe(alice);
    expect(cache.get("t2")).toBeUndefined();
  });

  it("when the cache age passes, then the token must be verified again (a removed key stops working as before)", () => {
    const time = clock();
    const cache = new VerifiedTokens({ maxAgeMs: 5000, now: time.now });

    cache.remember("t1", alice, time.now() + HOUR);
    time.advance(5000);

    expect(cache.get("t1")).toBeUndefined();
  });

  it("when the token expires before the cache age, then it is not answered past its expiry", () => {
    const time = clock();
    const cache = new VerifiedTokens({ maxAgeMs: 30_000, now: time.now });

    cache.remember("t1", alice, time.now() + 1000);
    time.advance(1000);

    expect(cache.get("t1")).toBeUndefined();
  });

  it("when the cache age is 0, then nothing is kept", () => {
    const cache = new VerifiedTokens({ maxAgeMs: 0 });

    cache.remember("t1", alice, Date.now() + HOUR);

    expect(cache.get("t1")).toBeUndefined();
  });

  it("when more distinct tokens arrive than it holds, then the oldest go first", () => {
    const time = clock();
    const cache = new VerifiedTokens({ maxAgeMs: 5000, maxEntries: 2, now: time.now });

    for (const token of ["t1", "t2", "t3"]) cache.remember(token, alice, time.now() + HOUR);

    expect([cache.get("t1"), cache.get("t2"), cache.get("t3")]).toEqual([undefined, alice, alice]);
  });
});
