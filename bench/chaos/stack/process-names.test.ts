import { describe, expect, it } from "vitest";
import { processNames, serviceOf } from "./process-names.ts";

describe("process names", () => {
  it("when discovery is static, then one instance of each peer runs beside the two order replicas", () => {
    expect(processNames("static")).toEqual(["inventory", "invoice", "fulfillment", "order-a", "order-b"]);
  });

  it("when discovery is through Consul, then every service runs two instances, peers first", () => {
    expect(processNames("consul")).toEqual([
      "inventory",
      "inventory-b",
      "invoice",
      "invoice-b",
      "fulfillment",
      "fulfillment-b",
      "order-a",
      "order-b",
    ]);
  });

  it("when a name carries a suffix, then its service is the part before the first dash", () => {
    expect(serviceOf("order-b")).toBe("order");
    expect(serviceOf("inventory-canary")).toBe("inventory");
    expect(serviceOf("invoice")).toBe("invoice");
  });

  it("when a name names no service, then it is refused", () => {
    expect(() => serviceOf("billing-a")).toThrow(/no service/);
  });
});
