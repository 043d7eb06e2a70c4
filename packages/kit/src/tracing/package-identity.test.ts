import { describe, expect, it } from "vitest";
import { packageIdentity } from "./package-identity.ts";

describe("packageIdentity", () => {
  it("when the service's package.json is read, then its unscoped name and version become the fallback identity", () => {
    expect(packageIdentity(JSON.stringify({ name: "@orderly/inventory", version: "1.2.3" }))).toEqual({
      "service.name": "inventory",
      "service.version": "1.2.3",
    });
  });

  it("when there is no usable package.json, then there is no fallback identity", () => {
    expect(packageIdentity(undefined)).toEqual({});
    expect(packageIdentity("{ not json")).toEqual({});
    expect(packageIdentity("null")).toEqual({});
  });
});
