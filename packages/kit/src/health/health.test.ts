import { describe, expect, it } from "vitest";
import { type DependencyCheck, Health, type HealthReport } from "./health.ts";
import { Lifecycle } from "./lifecycle.ts";

function healthWith(checks: DependencyCheck[] = [], options: { pollIntervalMs?: number } = {}) {
  const lifecycle = new Lifecycle();
  const health = new Health({
    lifecycle,
    service: "inventory",
    version: "1.2.3",
    instance: "inventory-1",
    checks,
    ...options,
  });
  const readiness: boolean[] = [];
  health.onReadinessChange((ready) => readiness.push(ready));
  return { lifecycle, health, readiness };
}

/** A check whose outcome the test switches. */
function switchable(name: string, options: { required?: boolean } = {}) {
  const state = { failing: false, calls: 0 };
  const check: DependencyCheck = {
    name,
    ...options,
    async check() {
      state.calls++;
      if (state.failing) throw new Error(`${name} is down`);
    },
  };
  return { check, state };
}

describe("Health.report", () => {
  it("when serving and every check passes, then the report is pass with each check's result", async () => {
    const database = switchable("database");
    const cache = switchable("cache", { required: false });
    const { lifecycle, health } = healthWith([database.check, cache.check]);
    lifecycle.moveTo("SERVING");

    const report = await health.report();

    expect(report).toMatchObject({
      status: "pass",
      state: "SERVING",
      service: "inventory",
      version: "1.2.3",
      instance: "inventory-1",
      checks: {
        database: { status: "pass", required: true },
        cache: { status: "pass", required: false },
      },
    });
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(report.checks.database?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.checks.database).not.toHaveProperty("error");
  });

  it("when only an optional check fails, then the report is warn and the instance stays ready", async () => {
    const cache = switchable("cache", { required: false });
    const { lifecycle, health } = healthWith([switchable("database").check, cache.check]);
    lifecycle.moveTo("SERVING");
    cache.state.failing = true;

    const report = await health.report();

    expect(report.status).toBe("warn");
    expect(report.checks.cache).toMatchObject({ status: "fail", required: false, error: "cache is down" });
    expect(health.readyNow()).toBe(true);
  });

  it("when a required check fails, then the report is fail and the instance is not ready", async () => {
    const database = switchable("database");
    const { lifecycle, health } = healthWith([database.check]);
    lifecycle.moveTo("SERVING");
    database.state.failing = true;

    const report = await health.report();

    expect(report.status).toBe("fail");
    expect(report.checks.database).toMatchObject({
      status: "fail",
      required: true,
      error: "database is down",
    });
    expect(health.readyNow()).toBe(false);
    expect(await health.ready()).toBe(false);
  });

  it("when not serving (starting, draining), then the report is fail even though every check passes", async () => {
    const { lifecycle, health } = healthWith([switchable("database").check]);

    const starting = await health.report();
    lifecycle.moveTo("SERVING");
    lifecycle.moveTo("DRAINING");
    const draining = await health.report();

    expect(starting).toMatchObject({
      status: "fail",
      state: "STARTING",
      checks: { database: { status: "pass" } },
    });
    expect(draining).toMatchObject({ status: "fail", state: "DRAINING" });
  });

  it("when a check outlives its timeout, then it fails as timed out and its signal is aborted", async () => {
    let signalSeen: AbortSignal | undefined;
    const hanging: DependencyCheck = {
      name: "broker",
      timeoutMs: 20,
      check(signal) {
        signalSeen = signal;
        return new Promise(() => {});
      },
    };
    const { lifecycle, health } = healthWith([hanging]);
    lifecycle.moveTo("SERVING");

    const report = await health.report();

    expect(report.checks.broker).toMatchObject({ status: "fail", required: true, error: "check timed out" });
    expect(report.status).toBe("fail");
    expect(signalSeen?.aborted).toBe(true);
  });

  it("when a check throws synchronously or throws a non-Error, then it is reported as failing, not thrown", async () => {
    const sync: DependencyCheck = {
      name: "sync",
      check() {
        throw new Error("no driver");
      },
    };
    const odd: DependencyCheck = {
      name: "odd",
      required: false,
      check: () => Promise.reject("just a string"),
    };
    const { lifecycle, health } = healthWith([sync, odd]);
    lifecycle.moveTo("SERVING");

    const report = await health.report();

    expect(report.checks.sync).toMatchObject({ status: "fail", error: "no driver" });
    expect(report.checks.odd).toMatchObject({ status: "fail", error: "just a string" });
  });

  it("when a check is added later, then the next report runs it", async () => {
    const { lifecycle, health } = healthWith();
    lifecycle.moveTo("SERVING");
    const queue = switchable("queue");

    health.addCheck(queue.check);
    const report = await health.report();

    expect(Object.keys(report.checks)).toEqual(["queue"]);
  });
});

describe("Health liveness and readiness", () => {
  it("when the lifecycle moves, then live() is true until STOPPED and readyNow() only while SERVING", () => {
    const { lifecycle, health } = healthWith();
    const seen: Array<[string, boolean, boolean]> = [[lifecycle.state, health.live(), health.readyNow()]];

    for (const next of ["SERVING", "DRAINING", "STOPPED"] as const) {
      lifecycle.moveTo(next);
      seen.push([lifecycle.state, health.live(), health.readyNow()]);
    }

    expect(seen).toEqual([
      ["STARTING", true, false],
      ["SERVING", true, true],
      ["DRAINING", true, false],
      ["STOPPED", false, false],
    ]);
  });

  it("when readiness changes through the lifecycle and required checks, then listeners hear each change once", async () => {
    const database = switchable("database");
    const cache = switchable("cache", { required: false });
    const { lifecycle, health, readiness } = healthWith([database.check, cache.check]);

    lifecycle.moveTo("SERVING");
    await health.report();
    database.state.failing = true;
    await health.report();
    await health.report();
    cache.state.failing = true;
    database.state.failing = false;
    await health.report();
    lifecycle.moveTo("DRAINING");
    lifecycle.moveTo("STOPPED");

    expect(readiness).toEqual([true, false, true, false]);
  });

  it("when a listener unsubscribes, then it hears no more changes", () => {
    const { lifecycle, health } = healthWith();
    const heard: boolean[] = [];
    const unsubscribe = health.onReadinessChange((ready) => heard.push(ready));

    lifecycle.moveTo("SERVING");
    unsubscribe();
    lifecycle.moveTo("DRAINING");

    expect(heard).toEqual([true]);
  });

  it("when polling and a required dependency goes down, then listeners learn it without anyone asking", async () => {
    const database = switchable("database");
    const { lifecycle, health } = healthWith([database.check], { pollIntervalMs: 5 });
    lifecycle.moveTo("SERVING");
    const notReady = new Promise<boolean>((resolve) => {
      health.onReadinessChange((ready) => {
        if (!ready) resolve(ready);
      });
    });

    health.startPolling();
    database.state.failing = true;
    const ready = await notReady;
    health.stopPolling();

    expect(ready).toBe(false);
    expect(health.readyNow()).toBe(false);
  });
});

describe("Health.latest (what probes read)", () => {
  it("when a flood of concurrent probes finds no fresh result, then each check runs once for all of them", async () => {
    const database = switchable("database");
    const { lifecycle, health } = healthWith([database.check], { pollIntervalMs: 60_000 });
    lifecycle.moveTo("SERVING");

    const reports = await Promise.all(Array.from({ length: 200 }, () => health.latest()));

    expect(database.state.calls).toBe(1);
    expect(reports.every((r) => r.status === "pass")).toBe(true);
  });

  it("when polling runs, then probes answer from its latest result, with its age, without running the check", async () => {
    const database = switchable("database");
    const { lifecycle, health } = healthWith([database.check], { pollIntervalMs: 60_000 });
    lifecycle.moveTo("SERVING");
    health.startPolling();
    await health.report();
    const runs = database.state.calls;

    const reports = Array.from({ length: 500 }, () => health.latest());
    health.stopPolling();

    expect(reports.every((r) => !(r instanceof Promise))).toBe(true);
    expect(database.state.calls).toBe(runs);
    expect((reports[0] as HealthReport).checks.database?.ageMs).toBeGreaterThanOrEqual(0);
  });

  it("when a polled required check hangs, then the service turns not-ready once its timeout passes", async () => {
    let hang = false;
    const broker: DependencyCheck = {
      name: "broker",
      timeoutMs: 30,
      intervalMs: 5,
      check: () => (hang ? new Promise(() => {}) : Promise.resolve()),
    };
    const { lifecycle, health } = healthWith([broker]);
    lifecycle.moveTo("SERVING");
    health.startPolling();
    await health.report();
    expect(health.readyNow()).toBe(true);
    const notReady = new Promise<void>((resolve) => {
      health.onReadinessChange((ready) => {
        if (!ready) resolve();
      });
    });

    hang = true;
    await notReady;
    const report = await health.latest();
    health.stopPolling();

    expect(health.readyNow()).toBe(false);
    expect(report.checks.broker).toMatchObject({ status: "fail", error: "check timed out" });
  });
});
