import { describe, expect, it } from "vitest";
import { rateLimitedError, rateLimitKey } from "./call-limiter.ts";
import type { Principal } from "./principal.ts";
import { AUTH_DISABLED_PRINCIPAL } from "./token-verifier.ts";

const alice: Principal = { subject: "alice", scopes: new Set() };
const anonymous: Principal = { subject: "", scopes: new Set() };

describe("rate-limit keys", () => {
  it.each([
    ["a token's subject", alice, "sub:alice"],
    ["no principal", undefined, "ip:10.0.0.7"],
    ["the anonymous principal of a public route", anonymous, "ip:10.0.0.7"],
    ["the principal everyone shares with AUTH_DISABLED=true", AUTH_DISABLED_PRINCIPAL, "ip:10.0.0.7"],
  ])("when the caller is %s, then the budget is %s", (_label, principal, key) => {
    expect(rateLimitKey({ principal, ip: "10.0.0.7" })).toBe(key);
  });

  it("when a subject is named like an address, then it still has a budget of its own", () => {
    expect(rateLimitKey({ principal: { subject: "10.0.0.7", scopes: new Set() }, ip: "10.0.0.7" })).not.toBe(
      rateLimitKey({ ip: "10.0.0.7" }),
    );
  });

  it("when the wait is 1.2 s, then the error says 2 s and carries it for Retry-After and RetryInfo", () => {
    expect(rateLimitedError(1200)).toMatchObject({
      reason: "RATE_LIMITED",
      retryAfterMs: 2000,
      details: { retry_after_seconds: 2 },
    });
  });
});
