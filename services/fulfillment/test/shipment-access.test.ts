import { createTestAuth, type TestAuth } from "@orderly/testkit/auth";
import { freePort } from "@orderly/testkit/net";
import { createTestTls, type TestTls } from "@orderly/testkit/tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequest, type RunningFulfillment, startFulfillment } from "./fulfillment.test-support.ts";

/** Shipments carry a customer's name and address: a token's subject sees only its own. */
describe("fulfillment HTTP API with bearer tokens on (pglite)", () => {
  let svc: RunningFulfillment;
  let auth: TestAuth;
  // Tokens on means identities on: CreateShipment is order's call, made here with order's certificate.
  let tls: TestTls;
  let aliceShipment: string;
  let bobShipment: string;

  beforeAll(async () => {
    auth = await createTestAuth();
    tls = createTestTls(["fulfillment", "order"]);
    svc = await startFulfillment(
      "pglite",
      "fulfillment_access",
      await freePort(),
      {
        ...auth.env,
        ...tls.env("fulfillment"),
        // Access is under test, not load shedding: a busy machine must not turn answers into 503s.
        LOAD_MAX_EVENT_LOOP_DELAY_MS: "0",
      },
      tls.credentials("order"),
    );
    aliceShipment =
      (await svc.grpc.createShipment(createRequest("access-order-a", "alice"))).shipment?.id ?? "";
    bobShipment = (await svc.grpc.createShipment(createRequest("access-order-b", "bob"))).shipment?.id ?? "";
  });
  afterAll(async () => {
    await svc?.stop();
    auth?.remove();
    tls?.remove();
  });

  const get = async (path: string, sub: string, scope: string) => {
    const response = await fetch(svc.running.httpUrl + path, {
      headers: { authorization: await auth.bearer({ sub, scope }) },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const customers = (body: Record<string, unknown>) =>
    (body.shipments as { customer_id: string }[]).map((s) => s.customer_id).sort();

  it("when alice lists shipments, then only hers come back, whatever the filter leaves out", async () => {
    const all = await get("/v1/shipments?page_size=100", "alice", "orders:read");

    expect(all.status).toBe(200);
    expect(customers(all.body)).toEqual(["alice"]);
  });

  it("when alice asks for bob's shipments, then 403 CUSTOMER_MISMATCH", async () => {
    const answer = await get("/v1/shipments?customer_id=bob", "alice", "orders:read");

    expect(answer).toMatchObject({ status: 403, body: { reason: "CUSTOMER_MISMATCH" } });
  });

  it("when alice reads bob's shipment, then 404 SHIPMENT_NOT_FOUND; her own is 200", async () => {
    const other = await get(`/v1/shipments/${bobShipment}`, "alice", "orders:read");
    const own = await get(`/v1/shipments/${aliceShipment}`, "alice", "orders:read");

    expect(other).toMatchObject({ status: 404, body: { reason: "SHIPMENT_NOT_FOUND" } });
    expect(own.status).toBe(200);
  });

  it("when warehouse staff (shipments:write) or an admin list shipments, then they see every customer's", async () => {
    const staff = await get("/v1/shipments?page_size=100", "picker-1", "orders:read shipments:write");
    const admin = await get("/v1/shipments?page_size=100", "ops", "admin");

    expect(customers(staff.body)).toEqual(["alice", "bob"]);
    expect(customers(admin.body)).toEqual(["alice", "bob"]);
  });
});
