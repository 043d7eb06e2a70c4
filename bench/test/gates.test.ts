import { describe, expect, it } from "vitest";
import {
  CI_COMMITS_PER_ORDER_BASELINE,
  CI_CPU_PER_ORDER_RATIO_CEILING,
  CI_IDLE_RSS_OVER_BARE_CEILING_MB,
  costGates,
  evaluateGates,
  evaluateTargets,
  restartGates,
} from "../src/lib/gates.ts";
import { type DbSnapshot, dbCost } from "../src/lib/pg-stats.ts";
import type {
  BenchReport,
  LoadStats,
  PairScenarioResult,
  RestartResult,
  StackInfo,
  StackScenarioResult,
} from "../src/lib/result.ts";

function stats(overrides: Partial<LoadStats> = {}): LoadStats {
  return {
    rps: 1000,
    requests: 10_000,
    durationSeconds: 10,
    latencyMs: { p50: 1, p90: 2, p99: 5, max: 20, mean: 1.2 },
    errors: 0,
    non2xx: 0,
    statuses: { "200": 10_000 },
    ...overrides,
  };
}

function pair(name: string, ratio: number, cpuRatio = ratio): PairScenarioResult {
  const side = {
    stats: stats(),
    rounds: [stats()],
    loadGeneratorCores: 0.9,
    process: {
      name,
      peakRssMb: 100,
      cpuCores: 0.5,
      cpuSeconds: 5,
      readyMs: 500,
      idleRssMb: 60,
      cpuUsPerRequest: 50,
    },
  };
  return {
    kind: "pair",
    name,
    description: name,
    connections: 50,
    kit: side,
    bare: side,
    ratio,
    roundRatios: [ratio],
    cpuRatio,
    roundCpuRatios: [cpuRatio],
  };
}

function stackScenario(name: string, overrides: Partial<LoadStats> = {}): StackScenarioResult {
  return {
    kind: "stack",
    name,
    description: name,
    connections: 16,
    stats: stats(overrides),
    processes: [],
    outcomes: {},
    serverTimes: [],
    cpuMsPerRequest: 10,
    database: databaseCost(6),
  };
}

/** 100 orders in 5 s with `commitsPerOrder` commits each, spread over two databases. */
function databaseCost(commitsPerOrder: number) {
  const zero = { commits: 0, rollbacks: 0, inserted: 0, updated: 0, deleted: 0 };
  const before: DbSnapshot = { order: { ...zero }, inventory: { ...zero } };
  const after: DbSnapshot = {
    order: { ...zero, commits: commitsPerOrder * 75, inserted: 300 },
    inventory: { ...zero, commits: commitsPerOrder * 25 },
  };
  return dbCost(before, after, 100, 5, "not counted");
}

const consistentStack: StackInfo = {
  database: "postgres",
  databaseVersion: "PostgreSQL 16",
  startup: [{ name: "order", readyMs: 700, idleRssMb: 70 }],
  replayed: 0,
  consistency: {
    ok: true,
    problems: [],
    counts: {
      acknowledged: 10,
      orders: 10,
      byStatus: { CONFIRMED: 10 },
      invoices: 10,
      shipments: 10,
      skusChecked: 51,
    },
  },
};

function passingReport(): Pick<BenchReport, "scenarios" | "stack" | "failures"> {
  return {
    scenarios: [
      pair("health", 0.8),
      pair("grpc", 0.7),
      stackScenario("order-create"),
      stackScenario("order-create-hot"),
      stackScenario("order-create-grpc"),
      stackScenario("order-get"),
    ],
    stack: consistentStack,
    failures: [],
  };
}

const failedNames = (report: Pick<BenchReport, "scenarios" | "stack" | "failures">) =>
  evaluateGates(report)
    .filter((g) => !g.ok)
    .map((g) => g.name);

describe("evaluateGates", () => {
  it("when every scenario ran clean, consistent and above the floors, then every gate passes", () => {
    const gates = evaluateGates(passingReport());
    expect(gates.length).toBeGreaterThan(0);
    expect(gates.filter((g) => !g.ok)).toEqual([]);
  });

  it("when a scenario saw errors or non-2xx answers, then its zero-errors gate fails and names the counts", () => {
    const report = passingReport();
    report.scenarios[2] = stackScenario("order-create", {
      errors: 3,
      non2xx: 2,
      statuses: { "201": 9995, "503": 2 },
    });
    const failed = evaluateGates(report).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual(["order-create: zero errors"]);
    expect(failed[0]?.detail).toContain("3 errors, 2 non-2xx");
  });

  it("when a kit/bare ratio is below its floor, then that ratio gate fails", () => {
    const report = passingReport();
    report.scenarios[0] = pair("health", 0.9, 0.2);
    expect(failedNames(report)).toEqual(["health: kit/bare CPU ratio >= 0.3"]);
  });

  it("when the consistency check found problems, then the consistency gate fails with them", () => {
    const report = passingReport();
    report.stack = {
      ...consistentStack,
      consistency: {
        ok: false,
        problems: ["acknowledged orders missing from the order database: 1 (0190-…)"],
        counts: {
          acknowledged: 10,
          orders: 9,
          byStatus: { CONFIRMED: 9 },
          invoices: 9,
          shipments: 9,
          skusChecked: 51,
        },
      },
    };
    const failed = evaluateGates(report).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual(["consistency: orders, stock, invoices and shipments agree"]);
    expect(failed[0]?.detail).toContain("missing from the order database");
  });

  it("when the stack did not run, then each missing scenario fails its gate with the reason", () => {
    const report = passingReport();
    report.scenarios = report.scenarios.slice(0, 2);
    report.stack = {
      ...consistentStack,
      consistency: undefined,
      skipped: "no composition root yet: services/invoice/src/main.ts",
    };
    const failed = evaluateGates(report).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual([
      "order-create: ran",
      "order-create-hot: ran",
      "order-create-grpc: ran",
      "order-get: ran",
    ]);
    expect(failed[0]?.detail).toContain("services/invoice/src/main.ts");
  });

  it("when a scenario crashed, then the run gate fails", () => {
    const report = passingReport();
    report.failures = ["stack start: order: exited (1) before it was ready"];
    expect(failedNames(report)).toEqual(["run: no scenario crashed"]);
  });
});

describe("cost gates", () => {
  const withCreate = (create: StackScenarioResult) => {
    const report = passingReport();
    report.scenarios[2] = create;
    return report;
  };

  it("when commits per order stay within 20 % of the baseline, then the commits gate passes and names each database", () => {
    const gate = costGates(passingReport()).find((g) => g.name.startsWith("order-create: commits"));
    expect(gate?.ok).toBe(true);
    expect(gate?.detail).toContain("6 commits per order over 100 orders");
    expect(gate?.detail).toContain("inventory 1.5, order 4.5");
  });

  it("when the order path adds commits beyond 20 % over the baseline, then the commits gate fails", () => {
    const create = {
      ...stackScenario("order-create"),
      database: databaseCost(CI_COMMITS_PER_ORDER_BASELINE * 1.25),
    };
    const failed = evaluateGates(withCreate(create)).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual([
      `order-create: commits per order <= ${Math.round(CI_COMMITS_PER_ORDER_BASELINE * 120) / 100} (baseline ${CI_COMMITS_PER_ORDER_BASELINE} + 20 %)`,
    ]);
  });

  it("when the stack ran on PostgreSQL but no counters were read, then the commits gate fails instead of passing silently", () => {
    const { database: _omitted, ...create } = stackScenario("order-create");
    const failed = evaluateGates(withCreate(create)).filter((g) => !g.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toBe("the database counters were not read");
  });

  it("when CPU per order is within the ceiling of bare requests, then the CPU gate passes with the ratio", () => {
    // 10 ms per order / 50 µs per bare request = 200 bare requests.
    const gate = costGates(passingReport()).find((g) => g.name.includes("CPU per order"));
    expect(gate).toMatchObject({ ok: true });
    expect(gate?.detail).toMatch(/^200: 10 ms per order/);
  });

  it("when CPU per order exceeds the ceiling in bare requests, then the CPU gate fails", () => {
    const create = {
      ...stackScenario("order-create"),
      cpuMsPerRequest: (CI_CPU_PER_ORDER_RATIO_CEILING + 1) * 0.05,
    };
    const failed = evaluateGates(withCreate(create)).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual([
      `order-create: CPU per order <= ${CI_CPU_PER_ORDER_RATIO_CEILING} bare fastify requests`,
    ]);
  });

  it("when the health scenario (the yardstick) did not run, then there is no CPU gate", () => {
    const report = passingReport();
    report.scenarios = report.scenarios.slice(1);
    expect(costGates(report).map((g) => g.name)).toEqual([
      `order-create: commits per order <= ${Math.round(CI_COMMITS_PER_ORDER_BASELINE * 120) / 100} (baseline ${CI_COMMITS_PER_ORDER_BASELINE} + 20 %)`,
    ]);
  });
});

describe("dbCost", () => {
  it("when two snapshots are compared, then each database and the total report deltas per order", () => {
    const cost = databaseCost(12);
    expect(cost.total).toMatchObject({ commits: 1200, commitsPerOrder: 12, insertedPerOrder: 3 });
    expect(cost.services.map((s) => [s.service, s.commitsPerOrder])).toEqual([
      ["inventory", 3],
      ["order", 9],
    ]);
    expect(cost.total.statementsPerOrder).toBeUndefined();
  });

  it("when statement counts are present, then statements per order are reported too", () => {
    const zero = { commits: 0, rollbacks: 0, inserted: 0, updated: 0, deleted: 0 };
    const cost = dbCost(
      { order: { ...zero, statements: 10 } },
      { order: { ...zero, statements: 410 } },
      100,
      5,
      "pgss",
    );
    expect(cost.total.statementsPerOrder).toBe(4);
  });
});

describe("evaluateTargets", () => {
  it("when order creation misses 500/s and p99 < 50 ms, then both targets say by how much", () => {
    const report = passingReport();
    report.scenarios[2] = stackScenario("order-create", {
      rps: 125,
      latencyMs: { p50: 40, p90: 60, p99: 90, max: 120, mean: 45 },
    });
    const targets = evaluateTargets(report);
    expect(targets.find((t) => t.name === "order-create: orders/s")).toMatchObject({
      met: false,
      gap: "-75 %",
    });
    expect(targets.find((t) => t.name === "order-create: p99")).toMatchObject({ met: false, gap: "+40 ms" });
    expect(targets.find((t) => t.name === "order: idle RSS")).toMatchObject({ met: true });
  });

  it("when pgbench ran in the same run, then the orders/s share of its tps is a target", () => {
    const report = { ...passingReport(), pgbench: { command: "pgbench -N", tps: 5000 } };
    report.scenarios[2] = stackScenario("order-create", { rps: 250 });
    expect(evaluateTargets(report).find((t) => t.name.includes("pgbench"))).toMatchObject({
      measured: "0.05 (250 / 5000)",
      met: false,
      gap: "-33 %",
    });
  });

  it("when the hot SKU has more reserved than its CONFIRMED orders hold, then the no-oversell target is missed by the difference", () => {
    const report = passingReport();
    const consistency = consistentStack.consistency;
    if (!consistency) throw new Error("fixture without consistency");
    report.stack = {
      ...consistentStack,
      consistency: {
        ...consistency,
        counts: { ...consistency.counts, hotSku: { onHand: 100, reserved: 32, confirmedQuantity: 30 } },
      },
    };
    expect(evaluateTargets(report).find((t) => t.name === "hot SKU: no oversell")).toMatchObject({
      met: false,
      gap: "2 units",
    });
  });

  it("when the pre-seeded run is more than 10 % slower than the empty one, then that target is missed", () => {
    const report = passingReport();
    report.scenarios.push(stackScenario("order-create-seeded", { rps: 850 }));
    expect(evaluateTargets(report).find((t) => t.name.includes("seeded"))).toMatchObject({
      measured: "0.85× (850 vs 1000); CPU/order 10 vs 10 ms; commits/order 6 vs 6",
      met: false,
    });
  });
});

describe("evaluateGates without CPU data", () => {
  it("when no CPU ratio could be measured (no /proc), then the req/s ratio is gated instead and says so", () => {
    const report = passingReport();
    report.scenarios[1] = pair("grpc", 0.4, Number.NaN);
    const failed = evaluateGates(report).filter((g) => !g.ok);
    expect(failed.map((g) => g.name)).toEqual(["grpc: kit/bare CPU ratio >= 0.5"]);
    expect(failed[0]?.detail).toContain("gated instead");
  });
});

function restartResult(kitRssMb: number): RestartResult {
  const side = (readyMs: number, idleRssMb: number) => ({
    readyMs,
    readyMsRounds: [readyMs, readyMs],
    readyCpuMs: readyMs,
    readyCpuMsRounds: [readyMs, readyMs],
    idleRssMb,
    idleRssMbRounds: [idleRssMb, idleRssMb],
  });
  return {
    service: "inventory",
    database: "postgres",
    rounds: 2,
    idleMs: 1000,
    kit: side(900, kitRssMb),
    bareFastify: side(300, 74),
    bareGrpc: side(280, 78),
    readyRatioFastify: 3,
    readyRatioGrpc: 3.2,
  };
}

describe("restart gates", () => {
  it("when the service's idle RSS is within the ceiling over the larger bare process, then the gate passes and says both", () => {
    const [gate] = restartGates({ restart: restartResult(78 + CI_IDLE_RSS_OVER_BARE_CEILING_MB - 1) });
    expect(gate?.ok).toBe(true);
    expect(gate?.detail).toContain("fastify 74, grpc-js 78");
    expect(gate?.detail).toContain(`= ${CI_IDLE_RSS_OVER_BARE_CEILING_MB - 1} MB`);
  });

  it("when the service holds more than the ceiling over bare, then the RSS gate fails", () => {
    const gates = evaluateGates({
      ...passingReport(),
      restart: restartResult(78 + CI_IDLE_RSS_OVER_BARE_CEILING_MB + 5),
    });
    const gate = gates.find((g) => g.name.startsWith("restart: idle RSS over bare"));
    expect(gate?.ok).toBe(false);
  });

  it("when the restart scenario was asked for but did not run, then the gate fails saying so", () => {
    const [gate] = restartGates({}, { requireRestart: true });
    expect(gate).toMatchObject({ ok: false, detail: "the restart scenario did not run" });
    expect(restartGates({})).toEqual([]);
  });

  it("when a full run has the restart scenario, then the targets report RSS over bare and restart time against the issue's numbers", () => {
    const targets = evaluateTargets({ ...passingReport(), restart: restartResult(120) });
    expect(targets.find((t) => t.name.includes("idle RSS over bare"))).toMatchObject({
      measured: "42 MB (120 - 78)",
      met: false,
      gap: "+12 MB",
    });
    expect(targets.find((t) => t.name.includes("restart to ready"))).toMatchObject({
      met: false,
      gap: "+500 ms",
    });
  });
});
