import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

/** These tests are about the service's own variables; the kit tests the AUTH_* ones. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;
const PEER_ADDRESSES = {
  INVENTORY_GRPC_ADDR: "inventory:50052",
  INVOICE_GRPC_ADDR: "invoice:50053",
  FULFILLMENT_GRPC_ADDR: "fulfillment:50054",
} as const;

/** A ConfigError naming exactly these variables, in this order. */
const configErrorNaming = (...variables: string[]) =>
  expect.objectContaining({
    name: "ConfigError",
    issues: variables.map((variable) => expect.objectContaining({ variable })),
  });

describe("order config", () => {
  it("when only the peer addresses are set, then it uses ports 8080/50051, its own database and the saga defaults", () => {
    const config = loadConfig({ ...AUTH_OFF, ...PEER_ADDRESSES });

    expect(config).toMatchObject({
      service: "order",
      http: { port: 8080 },
      grpc: { port: 50051 },
      databaseUrl: "pglite:.data/order",
      peers: { inventory: "inventory:50052", invoice: "invoice:50053", fulfillment: "fulfillment:50054" },
      eventBus: undefined,
    });
    expect(config.extra).toEqual({
      ORDER_REQUEST_BUDGET_MS: 5000,
      SAGA_POLL_INTERVAL_MS: 250,
      SAGA_BATCH_SIZE: 20,
      SAGA_LEASE_MS: 15000,
      SAGA_RETRY_INITIAL_MS: 200,
      SAGA_RETRY_MAX_MS: 10000,
      PEER_DEADLINE_MS: 2000,
      // No simulated clock jump unless the fault suite sets one.
      ORDERLY_CLOCK_OFFSET_MS: 0,
    });
  });

  it("when Consul is off and peer addresses are missing, then one ConfigError names each missing variable", () => {
    const attempt = () => loadConfig({ ...AUTH_OFF, INVOICE_GRPC_ADDR: "invoice:50053" });

    expect(attempt).toThrow(configErrorNaming("INVENTORY_GRPC_ADDR", "FULFILLMENT_GRPC_ADDR"));
  });

  it("when CONSUL_HTTP_ADDR is set, then no peer address is needed", () => {
    const config = loadConfig({ ...AUTH_OFF, CONSUL_HTTP_ADDR: "http://consul:8500" });

    expect(config.peers).toEqual({ inventory: undefined, invoice: undefined, fulfillment: undefined });
  });

  it.each([
    [{ SAGA_BATCH_SIZE: "0" }, "SAGA_BATCH_SIZE"],
    [{ PEER_DEADLINE_MS: "soon" }, "PEER_DEADLINE_MS"],
    [{ INVENTORY_GRPC_ADDR: "no port" }, "INVENTORY_GRPC_ADDR"],
  ])("when %o, then a ConfigError names %s", (env, variable) => {
    const attempt = () => loadConfig({ ...AUTH_OFF, ...PEER_ADDRESSES, ...env });

    expect(attempt).toThrow(configErrorNaming(variable));
  });
});
