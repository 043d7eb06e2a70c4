import { describe, expect, it } from "vitest";
import { combineRounds, median } from "../src/lib/latency.ts";
import { dbCost } from "../src/lib/pg-stats.ts";
import { parsePgbenchTps } from "../src/lib/pgbench.ts";
import { eventsSection, perOrderSection } from "../src/lib/report-markdown.ts";
import type { LoadStats } from "../src/lib/result.ts";
import { diffTotals, parseHistogramTotals, parseRuntimeGauges } from "../src/lib/server-metrics.ts";
import { areaOf } from "../src/profile-summary.ts";
import { SEED_COLUMNS, seedInsert } from "../src/scenarios/seed-orders.ts";

const round = (rps: number, p99: number, max: number): LoadStats => ({
  rps,
  requests: rps * 2,
  durationSeconds: 2,
  latencyMs: { p50: p99 / 4, p90: p99 / 2, p99, max, mean: p99 / 3 },
  errors: 0,
  non2xx: 1,
  statuses: { "200": rps * 2 - 1, "503": 1 },
});

describe("combineRounds", () => {
  it("when rounds are combined, then req/s comes from the totals, percentiles are medians and max is the max", () => {
    const combined = combineRounds([round(100, 10, 50), round(300, 30, 40), round(200, 20, 90)]);
    expect(combined.rps).toBe(200);
    expect(combined.requests).toBe(1200);
    expect(combined.latencyMs.p99).toBe(20);
    expect(combined.latencyMs.max).toBe(90);
    expect(combined.non2xx).toBe(3);
    expect(combined.statuses).toEqual({ "200": 1197, "503": 3 });
  });

  it("when the list has an even length, then the median is the mean of the middle two", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("server metrics", () => {
  const scrape = (count: number, sum: number) =>
    [
      "# HELP rpc_server_duration_seconds Duration of gRPC calls served.",
      `rpc_server_duration_seconds_bucket{le="0.005",rpc_service="orderly.inventory.v1.InventoryService",rpc_method="Reserve",rpc_grpc_status_code="0",service="inventory"} ${count}`,
      `rpc_server_duration_seconds_sum{rpc_service="orderly.inventory.v1.InventoryService",rpc_method="Reserve",rpc_grpc_status_code="0",service="inventory"} ${sum}`,
      `rpc_server_duration_seconds_count{rpc_service="orderly.inventory.v1.InventoryService",rpc_method="Reserve",rpc_grpc_status_code="0",service="inventory"} ${count}`,
      `http_server_request_duration_seconds_count{method="GET",route="/metrics",status_code="200",service="inventory"} ${count}`,
    ].join("\n");

  it("when two scrapes are compared, then each series reports the calls and mean ms in between", () => {
    const times = diffTotals(
      "inventory",
      parseHistogramTotals(scrape(10, 0.1)),
      parseHistogramTotals(scrape(30, 0.5)),
    );
    expect(times).toEqual([{ service: "inventory", series: "rpc server Reserve 0", calls: 20, meanMs: 20 }]);
  });
});

describe("runtime gauges", () => {
  it("when prom-client's event-loop gauges are scraped, with or without the orderly_ prefix, then p99, max and CPU are read in ms and s", () => {
    const text = [
      "# TYPE nodejs_eventloop_lag_p99_seconds gauge",
      'nodejs_eventloop_lag_p99_seconds{service="order"} 0.0123',
      'orderly_nodejs_eventloop_lag_max_seconds{service="order"} 0.05',
      'nodejs_eventloop_lag_seconds{service="order"} 0.9',
      'process_cpu_seconds_total{service="order"} 12.5',
    ].join("\n");
    expect(parseRuntimeGauges(text)).toEqual({ eventLoopP99Ms: 12.3, eventLoopMaxMs: 50, cpuSeconds: 12.5 });
  });

  it("when the HTTP histogram uses the decided label names and prefix, then its series is still read", () => {
    const line = (count: number) =>
      `orderly_http_server_request_duration_seconds_count{http_request_method="POST",http_route="/v1/orders",http_response_status_code="201"} ${count}`;
    const times = diffTotals("order", parseHistogramTotals(line(1)), parseHistogramTotals(line(5)));
    expect(times.map((t) => [t.series, t.calls])).toEqual([["http server POST /v1/orders 201", 4]]);
  });
});

describe("pgbench", () => {
  it("when pgbench prints its summary, then the tps without connection time is read", () => {
    const out =
      "latency average = 2.6 ms\ninitial connection time = 20.1 ms\ntps = 6123.456789 (without initial connection time)\n";
    expect(parsePgbenchTps(out)).toBe(6123.456789);
    expect(parsePgbenchTps("connection failed")).toBeNaN();
  });
});

describe("seedInsert", () => {
  const column = (name: string, nullable = "NO", def: string | null = null) => ({
    column_name: name,
    is_nullable: nullable,
    column_default: def,
    is_identity: "NO",
    is_generated: "NEVER",
  });
  const orders = SEED_COLUMNS.order[0];

  it("when the table has fewer columns than the seeder knows, then only the existing ones are written", () => {
    if (!orders) throw new Error("no orders table in SEED_COLUMNS");
    const sql = seedInsert(orders, [column("id"), column("status"), column("note", "YES")], 10);
    expect(sql).toBe(
      "insert into orders (id, status) select ('00000000-0000-7000-7000-' || lpad(to_hex(i), 12, '0'))::uuid, 'CONFIRMED' from generate_series(1, 10) as i",
    );
  });

  it("when the table gained a NOT NULL column without a default, then seeding stops naming it and where to add it", () => {
    if (!orders) throw new Error("no orders table in SEED_COLUMNS");
    expect(() =>
      seedInsert(orders, [column("id"), column("fraud_score"), column("ok", "NO", "0")], 10),
    ).toThrow(/fraud_score; add them to SEED_COLUMNS/);
  });
});

describe("perOrderSection", () => {
  it("when a stack scenario has database counters, event-loop gauges and pgbench ran, then the section shows commits per database and the pgbench share", () => {
    const zero = { commits: 0, rollbacks: 0, inserted: 0, updated: 0, deleted: 0 };
    const lines = perOrderSection({
      pgbench: { command: "pgbench -N", tps: 1000 },
      scenarios: [
        {
          kind: "stack",
          name: "order-create",
          description: "",
          connections: 16,
          stats: round(50, 40, 80),
          processes: [],
          outcomes: {},
          serverTimes: [
            { service: "order", series: "rpc client Reserve 0", calls: 100, meanMs: 5 },
            { service: "order", series: "rpc server GetOrder 0", calls: 50, meanMs: 1 },
          ],
          cpuMsPerRequest: 12.5,
          eventLoop: [{ service: "order", eventLoopP99Ms: 20.5, eventLoopMaxMs: 44 }],
          database: dbCost({ order: zero }, { order: { ...zero, commits: 900 } }, 100, 5, "not counted"),
        },
      ],
    }).join("\n");
    expect(lines).toContain("| order-create | 16 | 50 | 10.00 | 40.00 | 12.50 | **9.00** | ord 9.00 |");
    expect(lines).toContain("| – | 1.0 | ord 20.5 (44) |");
    expect(lines).toContain("**1,000 tps**; order-create 50 orders/s = **0.050** of it");
  });
});

describe("areaOf", () => {
  it("when a frame comes from a pnpm package, the kit or a service, then it is named by package or folder", () => {
    expect(
      areaOf(
        "file:///r/node_modules/.pnpm/@grpc+grpc-js@1.14.7/node_modules/@grpc/grpc-js/build/src/server.js",
        "f",
      ),
    ).toBe("@grpc/grpc-js");
    expect(areaOf("file:///r/packages/kit/src/http/request-id.ts", "genRequestId")).toBe("@orderly/kit/http");
    expect(areaOf("file:///r/services/order/src/data/order.store.ts", "f")).toBe("services/order/data");
    expect(areaOf("node:internal/streams/writable", "f")).toBe("node:internal");
    expect(areaOf("", "(garbage collector)")).toBe("(gc)");
  });
});

describe("eventsSection", () => {
  const phase = (eventsPerSecond: number, p99: number) => ({
    events: eventsPerSecond * 5,
    seconds: 5,
    eventsPerSecond,
    cpuMsPerEvent: 1.5,
    lagMs: { p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2 },
    processes: [{ name: "nats-server", peakRssMb: 20, cpuCores: 0.1, cpuSeconds: 0.5 }],
  });

  it("when the event scenario ran, then the section shows both phases' rate and lag, NATS's own publish rates and the share of the best", () => {
    const text = eventsSection({
      database: "PostgreSQL 15",
      natsServer: "v2.9.10",
      payloadBytes: 240,
      writers: 8,
      maxInFlight: 500,
      saturated: phase(300, 2400),
      paced: { ...phase(150, 500), targetPerSecond: 150 },
      duplicates: 0,
      rawPublish: [
        { inFlight: 1, messages: 7000, seconds: 2, perSecond: 3500 },
        { inFlight: 50, messages: 24000, seconds: 2, perSecond: 12000 },
      ],
      stages: [{ stage: "consume", events: 1500, perSecond: 240 }],
    }).join("\n");

    expect(text).toContain(
      "| saturated (≤ 500 queued) | 300 | – | 600.00 | 1200.00 | 2400.00 | 4800.0 | 1,500 |",
    );
    expect(text).toContain("| paced (½ of saturated) | 150 | 150 | 125.00 |");
    expect(text).toContain("**3,500/s** with 1 in flight, **12,000/s** with 50 in flight");
    expect(text).toContain("reaches 0.025 of the best");
    expect(text).toContain("consume **240/s**");
  });

  it("when the event scenario was skipped, then the section says why", () => {
    expect(eventsSection({ skipped: "nats-server is not on PATH" } as never).join("\n")).toContain(
      "Event scenario not run: nats-server is not on PATH.",
    );
  });
});
