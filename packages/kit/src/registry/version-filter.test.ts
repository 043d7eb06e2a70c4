import { describe, expect, it } from "vitest";
import { matchesVersion, parseVersionFilter, versionTargets } from "./version-filter.ts";

describe("version filters of Consul targets", () => {
  it("when a canary version is given, then the stable and canary targets filter on it", () => {
    expect(versionTargets("consul://127.0.0.1:8500/inventory", "2.0.0+b1")).toEqual({
      canary: "consul://127.0.0.1:8500/inventory?version=2.0.0%2Bb1",
      stable: "consul://127.0.0.1:8500/inventory?not_version=2.0.0%2Bb1",
    });
  });

  it("when the target is not a plain Consul target, then versionTargets refuses it", () => {
    expect(() => versionTargets("ipv4:127.0.0.1:1", "2")).toThrow(/plain Consul target/);
  });

  it("when a path carries a filter, then only matching instances pass", () => {
    const canary = parseVersionFilter("inventory?version=2.0.0%2Bb1");
    const stable = parseVersionFilter("inventory?not_version=2.0.0%2Bb1");
    const all = parseVersionFilter("inventory");
    const v2 = { host: "a", port: 1, version: "2.0.0+b1" };
    const v1 = { host: "b", port: 1, version: "1.0.0" };
    const unknown = { host: "c", port: 1 };

    expect([canary.service, stable.service, all.service]).toEqual(["inventory", "inventory", "inventory"]);
    expect([v2, v1, unknown].filter((i) => matchesVersion(canary, i))).toEqual([v2]);
    expect([v2, v1, unknown].filter((i) => matchesVersion(stable, i))).toEqual([v1, unknown]);
    expect([v2, v1, unknown].filter((i) => matchesVersion(all, i))).toEqual([v2, v1, unknown]);
  });
});
