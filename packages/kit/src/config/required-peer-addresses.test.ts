import { describe, expect, it } from "vitest";
import { configErrorOf } from "./config-error.test-support.ts";
import { requirePeerAddresses } from "./required-peer-addresses.ts";

describe("requirePeerAddresses", () => {
  it("when Consul is off and every peer has an address, then nothing is thrown", () => {
    expect(() =>
      requirePeerAddresses({ consul: undefined, peers: { inventory: "inventory:50052" } }),
    ).not.toThrow();
  });

  it("when Consul is off and peers lack addresses, then one ConfigError names each missing variable", () => {
    const error = configErrorOf(() =>
      requirePeerAddresses({
        consul: undefined,
        peers: { inventory: undefined, invoice: "invoice:50053", "tax-rates": undefined },
      }),
    );

    expect(error.issues.map((issue) => issue.variable)).toEqual([
      "INVENTORY_GRPC_ADDR",
      "TAX_RATES_GRPC_ADDR",
    ]);
    expect(error.message).toContain("CONSUL_HTTP_ADDR");
  });

  it("when Consul is on, then peers without a static address are fine (discovery finds them)", () => {
    expect(() =>
      requirePeerAddresses({
        consul: { address: "http://consul:8500", token: undefined },
        peers: { inventory: undefined },
      }),
    ).not.toThrow();
  });
});
