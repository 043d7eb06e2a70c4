import { createTestAuth, type TestAuth } from "@orderly/testkit/auth";
import { createTestTls, type TestTls } from "@orderly/testkit/tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueRequest, type RunningInvoice, startInvoice } from "./invoice.test-support.ts";

/** Invoices carry a customer's name and address: a token's subject sees only its own. */
describe("invoice HTTP API with bearer tokens on (pglite)", () => {
  let svc: RunningInvoice;
  let auth: TestAuth;
  // Tokens on means identities on: IssueInvoice is order's call, made here with order's certificate.
  let tls: TestTls;
  let aliceInvoice: string;
  let bobInvoice: string;
  let bobOrder: string;

  beforeAll(async () => {
    auth = await createTestAuth();
    tls = createTestTls(["invoice", "order"]);
    svc = await startInvoice(
      "pglite",
      "invoice_access",
      {
        ...auth.env,
        ...tls.env("invoice"),
        // Access is under test, not load shedding: a busy machine must not turn answers into 503s.
        LOAD_MAX_EVENT_LOOP_DELAY_MS: "0",
      },
      tls.credentials("order"),
    );
    const customer = (id: string) =>
      ({ ...issueRequest("x").customer, id }) as ReturnType<typeof issueRequest>["customer"];
    aliceInvoice = (await svc.issue(issueRequest("access-order-alice", { customer: customer("alice") }))).id;
    bobOrder = "access-order-bob";
    bobInvoice = (await svc.issue(issueRequest(bobOrder, { customer: customer("bob") }))).id;
  });
  afterAll(async () => {
    await svc?.stop();
    auth?.remove();
    tls?.remove();
  });

  const get = async (path: string, sub: string, scope = "invoices:read") => {
    const response = await fetch(svc.running.httpUrl + path, {
      headers: { authorization: await auth.bearer({ sub, scope }) },
    });
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      text: await response.text(),
    };
  };

  it("when alice reads bob's invoice or its PDF, then 404 INVOICE_NOT_FOUND; her own is 200", async () => {
    const other = await get(`/v1/invoices/${bobInvoice}`, "alice");
    const otherPdf = await get(`/v1/invoices/${bobInvoice}.pdf`, "alice");
    const own = await get(`/v1/invoices/${aliceInvoice}`, "alice");

    expect(other.status).toBe(404);
    expect(JSON.parse(other.text)).toMatchObject({ reason: "INVOICE_NOT_FOUND" });
    expect(otherPdf.status).toBe(404);
    expect(own.status).toBe(200);
  });

  it("when alice lists invoices by bob's order id, then none of bob's come back", async () => {
    const byOrder = await get(`/v1/invoices?order_id=${bobOrder}`, "alice");

    expect(byOrder.status).toBe(200);
    expect((JSON.parse(byOrder.text) as { invoices: unknown[] }).invoices).toEqual([]);
  });

  it("when alice asks for bob's invoices, then 403 CUSTOMER_MISMATCH; an admin gets them", async () => {
    const mismatch = await get("/v1/invoices?customer_id=bob", "alice");
    const admin = await get("/v1/invoices?customer_id=bob", "ops", "admin");

    expect(mismatch.status).toBe(403);
    expect(JSON.parse(mismatch.text)).toMatchObject({ reason: "CUSTOMER_MISMATCH" });
    expect((JSON.parse(admin.text) as { invoices: { id: string }[] }).invoices.map((i) => i.id)).toEqual([
      bobInvoice,
    ]);
  });
});
