import { describe, expect, it } from "vitest";
import { canaryVerdict, parseCanaryCounters } from "./canary-counters.ts";

describe("parseCanaryCounters", () => {
  it("when an order replica exposes canary counters for several peers, then only the asked peer's are read", () => {
    const text = [
      "# HELP orderly_rpc_client_canary_calls_total gRPC call attempts sent to a peer's canary version.",
      'orderly_rpc_client_canary_calls_total{peer="inventory"} 40',
      'orderly_rpc_client_canary_calls_total{peer="invoice"} 7',
      'orderly_rpc_client_canary_errors_total{peer="inventory"} 12',
      'orderly_rpc_client_retries_total{rpc_service="s",rpc_method="Reserve"} 3',
    ].join("\n");

    expect(parseCanaryCounters(text, "inventory")).toEqual({ calls: 40, errors: 12 });
    expect(parseCanaryCounters(text, "invoice")).toEqual({ calls: 7, errors: 0 });
  });
});

describe("canaryVerdict", () => {
  const rule = { maxErrorRate: 0.1, minCalls: 10 };

  it("when the canary fails more than the threshold of enough attempts, then it is rolled back", () => {
    const verdict = canaryVerdict({ calls: 5, errors: 0 }, { calls: 25, errors: 6 }, rule);

    expect(verdict).toEqual({ rollBack: true, calls: 20, errors: 6, rate: 0.3 });
  });

  it("when the failures stay under the threshold, then the canary stays", () => {
    expect(canaryVerdict({ calls: 0, errors: 0 }, { calls: 40, errors: 4 }, rule).rollBack).toBe(false);
  });

  it("when too few attempts were made, then even a high rate does not roll back yet", () => {
    expect(canaryVerdict({ calls: 0, errors: 0 }, { calls: 3, errors: 3 }, rule).rollBack).toBe(false);
  });
});
