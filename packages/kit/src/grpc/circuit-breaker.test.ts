import { describe, expect, it } from "vitest";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.ts";

function breaker(failureThreshold = 3, openMs = 1000) {
  const clock = { now: 0 };
  const states: CircuitState[] = [];
  const b = new CircuitBreaker({
    failureThreshold,
    openMs,
    now: () => clock.now,
    onStateChange: (s) => states.push(s),
  });
  return { b, clock, states };
}

function fail(b: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i++) {
    const permit = b.tryAcquire();
    if (permit) b.record(permit, "failure");
  }
}

describe("CircuitBreaker", () => {
  it("when failures are not consecutive, then the circuit stays closed", () => {
    const { b } = breaker(3);

    fail(b, 2);
    b.record("pass", "success");
    fail(b, 2);

    expect(b.state).toBe(0);
    expect(b.tryAcquire()).toBe("pass");
  });

  it("when the threshold of consecutive failures is reached, then calls fail fast until openMs passes", () => {
    const { b, clock, states } = breaker(3, 1000);

    fail(b, 3);
    clock.now = 999;

    expect(states).toEqual([1]);
    expect(b.tryAcquire()).toBeUndefined();
  });

  it("when openMs has passed, then exactly one probe goes through", () => {
    const { b, clock, states } = breaker(3, 1000);
    fail(b, 3);
    clock.now = 1000;

    const probe = b.tryAcquire();
    const second = b.tryAcquire();

    expect(probe).toBe("probe");
    expect(second).toBeUndefined();
    expect(states).toEqual([1, 2]);
  });

  it("when the probe succeeds, then the circuit closes", () => {
    const { b, clock, states } = breaker(3, 1000);
    fail(b, 3);
    clock.now = 1000;

    b.record(b.tryAcquire() ?? "pass", "success");

    expect(states).toEqual([1, 2, 0]);
    expect(b.tryAcquire()).toBe("pass");
  });

  it("when the probe fails, then the circuit opens again for another openMs", () => {
    const { b, clock, states } = breaker(3, 1000);
    fail(b, 3);
    clock.now = 1000;

    b.record(b.tryAcquire() ?? "pass", "failure");
    clock.now = 1999;
    const tooEarly = b.tryAcquire();
    clock.now = 2000;

    expect(states).toEqual([1, 2, 1]);
    expect(tooEarly).toBeUndefined();
    expect(b.tryAcquire()).toBe("probe");
  });

  it("when a late answer to a call made before opening arrives during half-open, then it does not close the circuit", () => {
    const { b, clock } = breaker(1, 1000);
    const early = b.tryAcquire() ?? "pass";
    fail(b, 1);
    clock.now = 1000;
    b.tryAcquire();

    b.record(early, "success");

    expect(b.state).toBe(2);
  });

  it("when the probe is cancelled by its caller, then another probe may go", () => {
    const { b, clock } = breaker(1, 1000);
    fail(b, 1);
    clock.now = 1000;

    b.record(b.tryAcquire() ?? "pass", "neutral");

    expect(b.tryAcquire()).toBe("probe");
  });
});
