import * as grpc from "@grpc/grpc-js";
import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService } from "@orderly/contracts/order";
import { describe, expect, it } from "vitest";
import { createDevCa, type DevCa } from "../auth/index.ts";
import type { GrpcTls } from "../config/index.ts";
import { Code } from "../errors/index.ts";
import { callerGuard } from "./caller-allowlist.ts";
import { type ClientCertificatePolicy, clientTls } from "./grpc-tls.ts";
import { client, fakeInventory, fakeOrders, startServer, type TestKit, testKit } from "./test-harness.ts";

// One CA for the suite (issuing is fast; making the CA key is the slow part), plus a stranger's.
const ca = createDevCa();
const strangerCa = createDevCa("Somebody else's CA");
// As a service built with the kit checks callers when GRPC_TLS_* is set.
const WITH_TLS = { tls: true, authDisabled: false };

function identity(authority: DevCa, name: string, trusted: DevCa = ca): GrpcTls {
  const pair = authority.issue(name);
  return { ca: trusted.cert, cert: pair.cert, key: pair.key };
}

/** Inventory's gRPC over TLS; counts the calls that reached a handler. */
async function inventoryServer(kit: TestKit, policy: ClientCertificatePolicy = "required") {
  const reached: string[] = [];
  const started = await startServer(
    kit,
    (server) =>
      server.add(
        InventoryService,
        fakeInventory({
          reserve: async (request) => {
            reached.push(`reserve ${request.reservationId}`);
            return {};
          },
          adjustStock: async (request) => {
            reached.push(`adjustStock ${request.sku}`);
            return {};
          },
          getItem: async (request) => {
            reached.push(`getItem ${request.sku}`);
            return {};
          },
        }),
      ),
    { tls: identity(ca, "inventory"), clientCertificate: policy, guards: [callerGuard(WITH_TLS)] },
  );
  return { ...started, reached };
}

/** A client of `peer` at `target` calling as `as` (a certificate's identity) or with no certificate. */
function clientAs<S extends typeof InventoryService | typeof OrderService>(
  kit: TestKit,
  service: S,
  target: string,
  peer: string,
  as: GrpcTls | { ca: string },
) {
  // Without a certificate: verify the server against the CA, present nothing.
  const tls =
    "cert" in as
      ? clientTls(as, peer)
      : {
          credentials: grpc.credentials.createSsl(Buffer.from(as.ca)),
          channelOptions: { "grpc.ssl_target_name_override": peer },
        };
  return client(kit, service, target, { peer, ...tls, retry: false });
}

describe("service identities over mTLS", () => {
  it("when order's certificate calls Reserve, then inventory serves it", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const order = clientAs(kit, InventoryService, inventory.target, "inventory", identity(ca, "order"));

    await order.reserve({ reservationId: "o-1:reserve", lines: [{ sku: "MUG", quantity: 1n }] });

    expect(inventory.reached).toEqual(["reserve o-1:reserve"]);
  });

  it("when fulfillment's certificate calls Reserve, then inventory refuses it naming the method, not the list", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const fulfillment = clientAs(
      kit,
      InventoryService,
      inventory.target,
      "inventory",
      identity(ca, "fulfillment"),
    );

    const refused = fulfillment.reserve({
      reservationId: "o-1:reserve",
      lines: [{ sku: "MUG", quantity: 1n }],
    });

    await expect(refused).rejects.toMatchObject({
      code: Code.PERMISSION_DENIED,
      reason: "CALLER_NOT_ALLOWED",
      message: 'caller "fulfillment" may not call orderly.inventory.v1.InventoryService/Reserve',
    });
    expect(inventory.reached).toEqual([]);
  });

  it("when the operator's certificate adjusts stock, then inventory serves it, and order's is refused", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const operator = clientAs(kit, InventoryService, inventory.target, "inventory", identity(ca, "operator"));
    const order = clientAs(kit, InventoryService, inventory.target, "inventory", identity(ca, "order"));
    const adjustment = { sku: "MUG", delta: 5n, reason: "count", adjustmentId: "a-1" };

    await operator.adjustStock(adjustment);
    await expect(order.adjustStock(adjustment)).rejects.toMatchObject({
      code: Code.PERMISSION_DENIED,
      reason: "CALLER_NOT_ALLOWED",
    });

    expect(inventory.reached).toEqual(["adjustStock MUG"]);
  });

  it("when a certificate signed by another CA calls, then the handshake refuses it and nothing is served", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    // Named "order" and trusting the right CA, but signed by a stranger: a forged identity.
    const forged = clientAs(
      kit,
      InventoryService,
      inventory.target,
      "inventory",
      identity(strangerCa, "order"),
    );

    await expect(
      forged.reserve({ reservationId: "o-1:reserve", lines: [{ sku: "MUG", quantity: 1n }] }),
    ).rejects.toMatchObject({ code: Code.UNAVAILABLE });
    expect(inventory.reached).toEqual([]);
  });

  it("when a client trusts another CA, then it refuses the server's certificate", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const misled = clientAs(
      kit,
      InventoryService,
      inventory.target,
      "inventory",
      identity(ca, "order", strangerCa),
    );

    await expect(misled.getItem({ sku: "MUG" })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
    expect(inventory.reached).toEqual([]);
  });

  it("when a client without a certificate calls an internal service, then the handshake refuses it", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const anonymous = clientAs(kit, InventoryService, inventory.target, "inventory", { ca: ca.cert });

    await expect(anonymous.getItem({ sku: "MUG" })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
    expect(inventory.reached).toEqual([]);
  });

  it("when a client dials in plaintext, then a TLS port serves it nothing", async () => {
    const kit = testKit();
    const inventory = await inventoryServer(kit);
    const plaintext = client(kit, InventoryService, inventory.target, { retry: false });

    await expect(plaintext.getItem({ sku: "MUG" })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
    expect(inventory.reached).toEqual([]);
  });
});

describe("the order port: TLS with or without a client certificate", () => {
  async function orderServer(kit: TestKit) {
    const reached: string[] = [];
    const started = await startServer(
      kit,
      (server) =>
        server.add(
          OrderService,
          fakeOrders({
            getOrder: async (request) => {
              reached.push(`getOrder ${request.id}`);
              return {};
            },
            recordShipmentEvent: async () => {
              reached.push("recordShipmentEvent");
              return {};
            },
          }),
        ),
      { tls: identity(ca, "order"), clientCertificate: "optional", guards: [callerGuard(WITH_TLS)] },
    );
    return { ...started, reached };
  }

  it("when a customer calls GetOrder over TLS without a certificate, then it is served", async () => {
    const kit = testKit();
    const order = await orderServer(kit);
    const customer = clientAs(kit, OrderService, order.target, "order", { ca: ca.cert });

    await customer.getOrder({ id: "o-1" });

    expect(order.reached).toEqual(["getOrder o-1"]);
  });

  it("when RecordShipmentEvent comes without a certificate, then it is UNAUTHENTICATED", async () => {
    const kit = testKit();
    const order = await orderServer(kit);
    const anonymous = clientAs(kit, OrderService, order.target, "order", { ca: ca.cert });

    await expect(anonymous.recordShipmentEvent({})).rejects.toMatchObject({
      code: Code.UNAUTHENTICATED,
      reason: "SERVICE_IDENTITY_REQUIRED",
    });
    expect(order.reached).toEqual([]);
  });

  it("when only fulfillment's certificate may record shipment events, then inventory's is refused", async () => {
    const kit = testKit();
    const order = await orderServer(kit);
    const fulfillment = clientAs(kit, OrderService, order.target, "order", identity(ca, "fulfillment"));
    const inventory = clientAs(kit, OrderService, order.target, "order", identity(ca, "inventory"));

    await fulfillment.recordShipmentEvent({});
    await expect(inventory.recordShipmentEvent({})).rejects.toMatchObject({
      code: Code.PERMISSION_DENIED,
      reason: "CALLER_NOT_ALLOWED",
    });

    expect(order.reached).toEqual(["recordShipmentEvent"]);
  });

  it("when a certificate from another CA calls RecordShipmentEvent, then it counts as no certificate", async () => {
    const kit = testKit();
    const order = await orderServer(kit);
    const forged = clientAs(kit, OrderService, order.target, "order", identity(strangerCa, "fulfillment"));

    // The optional port completes the handshake, but an unverified certificate identifies nobody.
    await expect(forged.recordShipmentEvent({})).rejects.toMatchObject({ code: Code.UNAUTHENTICATED });
    expect(order.reached).toEqual([]);
  });
});

describe("without TLS", () => {
  async function plaintextInventory(kit: TestKit, authDisabled: boolean) {
    const reached: string[] = [];
    const started = await startServer(
      kit,
      (server) =>
        server.add(
          InventoryService,
          fakeInventory({
            reserve: async () => {
              reached.push("reserve");
              return {};
            },
          }),
        ),
      { guards: [callerGuard({ tls: false, authDisabled })] },
    );
    return { ...started, reached };
  }

  it("when an internal method is called and AUTH_DISABLED is off, then it is refused naming what to configure", async () => {
    const kit = testKit();
    const inventory = await plaintextInventory(kit, false);
    const anyone = client(kit, InventoryService, inventory.target, { retry: false });

    await expect(anyone.reserve({ reservationId: "r", lines: [] })).rejects.toMatchObject({
      code: Code.UNAUTHENTICATED,
      reason: "SERVICE_IDENTITY_REQUIRED",
      message: expect.stringContaining("GRPC_TLS_CA"),
    });
    expect(inventory.reached).toEqual([]);
  });

  it("when AUTH_DISABLED is on, then an internal method accepts any caller", async () => {
    const kit = testKit();
    const inventory = await plaintextInventory(kit, true);
    const anyone = client(kit, InventoryService, inventory.target, { retry: false });

    await anyone.reserve({ reservationId: "r", lines: [] });

    expect(inventory.reached).toEqual(["reserve"]);
  });
});
