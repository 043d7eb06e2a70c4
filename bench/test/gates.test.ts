import { describe, expect, it } from "vitest";
import { evaluateGates, evaluateTargets } from "../src/lib/gates.ts";
import type {
  BenchReport,
  LoadStats,
  PairScenarioResult,
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
  };
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

describe("evaluateTargets", () => {
  it("when order creation misses 800/s and p99 < 50 ms, then both targets say by how much", () => {
    const report = passingReport();
    report.scenarios[2] = stackScenario("order-create", {
      rps: 200,
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
