import { describe, expect, it } from "vitest";
import { ALL_FAULTS, SHORT_FAULTS } from "./catalogue.ts";
import { consulGone } from "./consul-faults.ts";

describe("fault catalogue", () => {
  it("when listed, then the network faults come kind by kind in the issue's order, each for every peer", () => {
    const network = ALL_FAULTS.map((f) => f.name).filter(
      (n) => n.includes("order->") && !n.includes("postgres"),
    );
    const kinds = network.map((n) => n.split(" order->")[0]?.replace(/ \(.*$/, ""));
    expect(kinds.slice(0, 6)).toEqual([
      "latency 50 ms",
      "latency 50 ms",
      "latency 50 ms",
      "latency 500 ms",
      "latency 500 ms",
      "latency 500 ms",
    ]);
    expect(network.at(-1)).toBe("connections silently dead order->fulfillment (new ones work)");
  });

  it("when the short set is named, then every name is a fault of the catalogue", () => {
    const names = new Set(ALL_FAULTS.map((f) => f.name));
    expect(SHORT_FAULTS.filter((n) => !names.has(n))).toEqual([]);
  });

  it("when a fault needs discovery through Consul, then it runs on the consul stack and every other on the static one", () => {
    const onConsul = [...ALL_FAULTS, consulGone(30_000)]
      .filter((f) => f.stack === "consul")
      .map((f) => f.name);

    expect(onConsul).toEqual([
      "canary of inventory (25 %) failing, rolled back on its error rate",
      "rolling restart of every service (SIGTERM, one instance at a time)",
      "Consul agent gone 30 s (back empty)",
    ]);
    expect(ALL_FAULTS.find((f) => f.name.startsWith("clock jump"))?.stack).toBeUndefined();
  });
});
