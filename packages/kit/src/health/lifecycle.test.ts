import { describe, expect, it } from "vitest";
import { Lifecycle, type LifecycleState } from "./lifecycle.ts";

describe("Lifecycle", () => {
  it("when new, then it is STARTING and not serving", () => {
    const lifecycle = new Lifecycle();

    expect(lifecycle.state).toBe("STARTING");
    expect(lifecycle.serving).toBe(false);
  });

  it("when moved through every state, then each listener hears each change, synchronously and in order", () => {
    const lifecycle = new Lifecycle();
    const heard: LifecycleState[] = [];
    lifecycle.onChange((state) => heard.push(state));
    const serving: boolean[] = [];

    for (const next of ["SERVING", "DRAINING", "STOPPED"] as const) {
      lifecycle.moveTo(next);
      serving.push(lifecycle.serving);
    }

    expect(heard).toEqual(["SERVING", "DRAINING", "STOPPED"]);
    expect(serving).toEqual([true, false, false]);
  });

  it("when asked to move backwards or stay put, then nothing changes and nobody is told", () => {
    const lifecycle = new Lifecycle();
    lifecycle.moveTo("DRAINING");
    const heard: LifecycleState[] = [];
    lifecycle.onChange((state) => heard.push(state));

    lifecycle.moveTo("SERVING");
    lifecycle.moveTo("STARTING");
    lifecycle.moveTo("DRAINING");

    expect(lifecycle.state).toBe("DRAINING");
    expect(lifecycle.serving).toBe(false);
    expect(heard).toEqual([]);
  });

  it("when a state is skipped (stopped before serving), then it moves straight there", () => {
    const lifecycle = new Lifecycle();
    const heard: LifecycleState[] = [];
    lifecycle.onChange((state) => heard.push(state));

    lifecycle.moveTo("DRAINING");

    expect(heard).toEqual(["DRAINING"]);
  });

  it("when a listener unsubscribes, then it hears nothing more while others still do", () => {
    const lifecycle = new Lifecycle();
    const first: LifecycleState[] = [];
    const second: LifecycleState[] = [];
    const unsubscribe = lifecycle.onChange((state) => first.push(state));
    lifecycle.onChange((state) => second.push(state));

    lifecycle.moveTo("SERVING");
    unsubscribe();
    lifecycle.moveTo("DRAINING");

    expect(first).toEqual(["SERVING"]);
    expect(second).toEqual(["SERVING", "DRAINING"]);
  });
});
