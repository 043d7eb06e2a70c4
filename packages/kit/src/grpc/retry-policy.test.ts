import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it } from "vitest";
import { AppError, Code } from "../errors/index.ts";
import { backoffMs, isIdempotent, isRetryable, retryPolicy } from "./retry-policy.ts";

describe("retry policy", () => {
  it("when a method's proto declares NO_SIDE_EFFECTS or IDEMPOTENT, then it counts as idempotent", () => {
    const { getItem, reserve, adjustStock } = InventoryService.method;

    expect(isIdempotent(getItem)).toBe(true);
    expect(isIdempotent(reserve)).toBe(true);
    expect(isIdempotent(adjustStock)).toBe(false);
  });

  it("when an error is UNAVAILABLE, RESOURCE_EXHAUSTED or ABORTED, then it is retryable, other codes are not", () => {
    const error = (code: Code, reason = "X") => new AppError({ code, reason, message: "m" });

    expect(
      [Code.UNAVAILABLE, Code.RESOURCE_EXHAUSTED, Code.ABORTED].map((c) => isRetryable(error(c))),
    ).toEqual([true, true, true]);
    expect([Code.DEADLINE_EXCEEDED, Code.INTERNAL, Code.NOT_FOUND].map((c) => isRetryable(error(c)))).toEqual(
      [false, false, false],
    );
    expect(isRetryable(error(Code.UNAVAILABLE, "CIRCUIT_OPEN"))).toBe(false);
  });

  it("when backing off, then the wait is jittered below an exponential ceiling capped at maxBackoffMs", () => {
    const policy = retryPolicy({ initialBackoffMs: 50, maxBackoffMs: 300 });
    if (!policy) throw new Error("policy expected");
    const almostOne = () => 0.999_999;

    expect([1, 2, 3, 4, 5].map((retry) => backoffMs(policy, retry, almostOne))).toEqual([
      49, 99, 199, 299, 299,
    ]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
  });

  it("when retries are turned off, then there is no policy", () => {
    expect(retryPolicy(false)).toBeUndefined();
    expect(retryPolicy(undefined)).toEqual({ maxAttempts: 4, initialBackoffMs: 50, maxBackoffMs: 1000 });
  });
});
