import { describe, expect, it } from "vitest";
import { combineRounds, median } from "../src/lib/latency.ts";
import type { LoadStats } from "../src/lib/result.ts";
import { diffTotals, parseHistogramTotals } from "../src/lib/server-metrics.ts";
import { areaOf } from "../src/profile-summary.ts";

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
