import { describe, expect, it } from "vitest";
import { discoveryTarget } from "./discovery-target.ts";

describe("discoveryTarget", () => {
  it("when a Consul address is set, then the target is consul://host:port/<service>, whatever the static address", () => {
    expect(discoveryTarget({ consulUrl: "http://consul:8500", service: "inventory" })).toBe(
      "consul://consul:8500/inventory",
    );
    expect(
      discoveryTarget({ consulUrl: "127.0.0.1:8500", staticAddress: "10.0.0.1:1", service: "invoice" }),
    ).toBe("consul://127.0.0.1:8500/invoice");
  });

  it("when the Consul address is not http, then it throws naming the address", () => {
    expect(() => discoveryTarget({ consulUrl: "https://consul:8501", service: "inventory" })).toThrow(
      /needs an http:\/\/ Consul address, got https:\/\/consul:8501/,
    );
  });

  it("when the static address is IPv4 literals, then the target is ipv4: with every address", () => {
    expect(discoveryTarget({ staticAddress: "127.0.0.1:50052", service: "inventory" })).toBe(
      "ipv4:127.0.0.1:50052",
    );
    expect(discoveryTarget({ staticAddress: "10.0.0.1:50052, 10.0.0.2:50052", service: "inventory" })).toBe(
      "ipv4:10.0.0.1:50052,10.0.0.2:50052",
    );
  });

  it("when the static address is bracketed IPv6 literals, then the target is ipv6:", () => {
    expect(discoveryTarget({ staticAddress: "[::1]:50052,[fd00::2]:50052", service: "inventory" })).toBe(
      "ipv6:[::1]:50052,[fd00::2]:50052",
    );
  });

  it("when the static address is one host name, then the target is dns:host:port", () => {
    expect(discoveryTarget({ staticAddress: "inventory:50052", service: "inventory" })).toBe(
      "dns:inventory:50052",
    );
    expect(discoveryTarget({ staticAddress: "dns:inventory:50052", service: "inventory" })).toBe(
      "dns:inventory:50052",
    );
  });

  it("when several addresses include a host name, then it throws naming the variable", () => {
    expect(() => discoveryTarget({ staticAddress: "a.internal:1,10.0.0.2:1", service: "inventory" })).toThrow(
      /^INVENTORY_GRPC_ADDR: several addresses must all be IPv4/,
    );
  });

  it("when neither Consul nor a static address is set, then it throws naming both variables", () => {
    expect(() => discoveryTarget({ service: "fulfillment" })).toThrow(
      'no address for peer "fulfillment": set CONSUL_HTTP_ADDR for Consul discovery or FULFILLMENT_GRPC_ADDR for a static address',
    );
  });
});
