import { testDatabaseKinds } from "@orderly/testkit/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byteString, extractText, pdftotextAvailable } from "../src/pdf/testing/pdf-inspection.ts";
import { issueRequest, type RunningInvoice, startInvoice } from "./invoice.test-support.ts";

const UNKNOWN_ID = "0190f3a2-0000-7000-8000-000000000099";
const PROBLEM_JSON = /^application\/problem\+json/;

interface InvoiceJson {
  number: string;
  voided_at?: string;
}

interface ListJson {
  invoices: InvoiceJson[];
  next_page_token: string;
}

interface OpenApiJson {
  paths: Record<string, { get: { responses: Record<string, { content: object }> } }>;
}

for (const kind of testDatabaseKinds()) {
  describe(`invoice HTTP API (${kind})`, () => {
    let svc: RunningInvoice;
    // One service and database per kind; invoices are issued over gRPC, each test with its own orders.
    beforeAll(async () => {
      svc = await startInvoice(kind, "invoice_http", { SELLER_NAME: "Test Seller AG" });
    });
    afterAll(async () => {
      await svc?.stop();
    });

    const get = (path: string) => fetch(`${svc.running.httpUrl}${path}`);
    const getJson = async <Body = unknown>(path: string) => {
      const response = await get(path);
      const body = (await response.json()) as Body;
      return { status: response.status, type: response.headers.get("content-type"), body };
    };

    it("when an invoice is fetched, then it is JSON in the proto's snake_case with integer minor units", async () => {
      const issued = await svc.issue(issueRequest("http-get-1"));

      const { status, type, body } = await getJson(`/v1/invoices/${issued.id}`);

      expect(status).toBe(200);
      expect(type).toMatch(/^application\/json/);
      expect(body).toEqual({
        id: issued.id,
        number: issued.number,
        order_id: "http-get-1",
        customer: {
          id: "customer-1",
          name: "Ada Lovelace",
          email: "ada@example.com",
          address: {
            name: "Ada Lovelace",
            line1: "Unter den Linden 1",
            line2: "",
            city: "Berlin",
            postal_code: "10117",
            country_code: "DE",
          },
        },
        currency_code: "EUR",
        lines: [
          {
            sku: "BOOK-1",
            description: "Notes on the Analytical Engine",
            quantity: 2,
            unit_price: { currency_code: "EUR", amount_minor: 1999 },
            line_total: { currency_code: "EUR", amount_minor: 3998 },
          },
          {
            sku: "PEN-7",
            description: "Fountain pen",
            quantity: 1,
            unit_price: { currency_code: "EUR", amount_minor: 4550 },
            line_total: { currency_code: "EUR", amount_minor: 4550 },
          },
        ],
        subtotal: { currency_code: "EUR", amount_minor: 8548 },
        tax_rate_bps: 1900,
        tax: { currency_code: "EUR", amount_minor: 1624 },
        total: { currency_code: "EUR", amount_minor: 10172 },
        status: "ISSUED",
        issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        void_reason: "",
      });
    });

    it("when a voided invoice is fetched, then it shows VOID, the reason and when", async () => {
      const issued = await svc.issue(issueRequest("http-void-1"));
      await svc.grpc.voidInvoice({ id: issued.id, reason: "order cancelled" });

      const { body } = await getJson<InvoiceJson>(`/v1/invoices/${issued.id}`);

      expect(body).toMatchObject({ status: "VOID", void_reason: "order cancelled" });
      expect(Date.parse(body.voided_at ?? "")).not.toBeNaN();
    });

    it("when an id is unknown, then 404 INVOICE_NOT_FOUND; when it is no UUID, then 400 naming id (JSON and PDF alike)", async () => {
      for (const suffix of ["", ".pdf"]) {
        const unknown = await getJson(`/v1/invoices/${UNKNOWN_ID}${suffix}`);
        expect(unknown.status).toBe(404);
        expect(unknown.type).toMatch(PROBLEM_JSON);
        expect(unknown.body).toMatchObject({ reason: "INVOICE_NOT_FOUND", code: "NOT_FOUND" });

        for (const id of [
          "not-an-id",
          "INV-2026-000001",
          "%E2%82%AC",
          `urn:uuid:${UNKNOWN_ID}`,
          `${UNKNOWN_ID}.PDF`,
        ]) {
          const malformed = await getJson(`/v1/invoices/${id}${suffix}`);
          expect(malformed.status, `${id}${suffix}`).toBe(400);
          expect(malformed.type).toMatch(PROBLEM_JSON);
          expect(malformed.body).toMatchObject({ reason: "VALIDATION_FAILED", details: { field: "id" } });
        }
      }
    });

    it("when invoices are listed by order or by customer, then the matching ones come newest first in pages", async () => {
      const customer = { ...issueRequest("x").customer, id: "http-customer-list" };
      const numbers: string[] = [];
      for (let i = 0; i < 3; i++) {
        numbers.push((await svc.issue(issueRequest(`http-list-${i}`, { customer }))).number);
      }

      const byOrder = await getJson<ListJson>("/v1/invoices?order_id=http-list-1");
      expect(byOrder.status).toBe(200);
      expect(byOrder.body.invoices.map((i) => i.number)).toEqual([numbers[1]]);
      expect(byOrder.body.next_page_token).toBe("");

      const first = await getJson<ListJson>("/v1/invoices?customer_id=http-customer-list&page_size=2");
      expect(first.body.invoices.map((i) => i.number)).toEqual([numbers[2], numbers[1]]);
      const token = encodeURIComponent(first.body.next_page_token);
      const second = await getJson<ListJson>(
        `/v1/invoices?customer_id=http-customer-list&page_size=2&page_token=${token}`,
      );
      expect(second.body).toMatchObject({ next_page_token: "" });
      expect(second.body.invoices.map((i) => i.number)).toEqual([numbers[0]]);
    });

    it.each([
      ["no filter", "/v1/invoices", "order_id"],
      ["a page size over 100", "/v1/invoices?customer_id=c&page_size=101", "page_size"],
      ["a page size that is not a number", "/v1/invoices?customer_id=c&page_size=ten", "page_size"],
      ["an empty order_id", "/v1/invoices?order_id=", "order_id"],
      ["a NUL byte in order_id", "/v1/invoices?order_id=order%001", "order_id"],
      ["a control character in customer_id", "/v1/invoices?customer_id=ada%1B", "customer_id"],
      ["a token this service never issued", "/v1/invoices?customer_id=c&page_token=bm9wZQ", "page_token"],
    ])("when a list has %s, then 400 problem+json naming %s", async (_case, path, field) => {
      const { status, type, body } = await getJson(path);

      expect(status).toBe(400);
      expect(type).toMatch(PROBLEM_JSON);
      expect(body).toMatchObject({
        reason: "VALIDATION_FAILED",
        code: "INVALID_ARGUMENT",
        details: { field },
      });
    });

    it("when the PDF is asked for, then a sound PDF named after the invoice number comes back inline", async () => {
      const issued = await svc.issue(issueRequest("http-pdf-1"));

      const response = await get(`/v1/invoices/${issued.id}.pdf`);
      const pdf = new Uint8Array(await response.arrayBuffer());

      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("content-disposition")).toBe(`inline; filename="${issued.number}.pdf"`);
      expect(Buffer.from(pdf.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      expect(byteString(pdf).startsWith("%PDF-")).toBe(true);
      if (pdftotextAvailable()) {
        const text = extractText(pdf);
        expect(text).toContain(issued.number);
        expect(text).toContain("Test Seller AG");
        expect(text).toContain("Ada Lovelace");
        expect(text).toContain("€101.72");
      }
    });

    it("when the PDF of a voided invoice is asked for, then it says the invoice is void and why", async () => {
      const issued = await svc.issue(issueRequest("http-pdf-void"));
      await svc.grpc.voidInvoice({ id: issued.id, reason: "order cancelled" });

      const response = await get(`/v1/invoices/${issued.id}.pdf`);
      const pdf = new Uint8Array(await response.arrayBuffer());

      expect(response.status).toBe(200);
      expect(byteString(pdf).startsWith("%PDF-")).toBe(true);
      if (pdftotextAvailable()) {
        const text = extractText(pdf).replace(/\s+/g, " ");
        expect(text).toContain("VOID");
        expect(text).toContain("Reason: order cancelled");
      }
    });

    it("when health, readiness, metrics and the OpenAPI document are asked for, then they answer and list the /v1 routes", async () => {
      const health = await getJson("/health");
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: "pass",
        service: "invoice",
        checks: { database: { status: "pass" } },
      });
      expect((await get("/health/ready")).status).toBe(200);

      await get(`/v1/invoices/${UNKNOWN_ID}`);
      const metrics = await (await get("/metrics")).text();
      expect(metrics).toMatch(
        /orderly_http_server_request_duration_seconds_count\{[^}]*http_route="\/v1\/invoices\/:id"/,
      );
      expect(metrics).toMatch(/orderly_rpc_server_duration_seconds_count\{[^}]*rpc_method="IssueInvoice"/);

      const openapi = await getJson<OpenApiJson>("/openapi.json");
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(["/v1/invoices", "/v1/invoices/{id}", "/v1/invoices/{id}.pdf"]),
      );
      expect(openapi.body.paths["/v1/invoices/{id}.pdf"]?.get.responses["200"]?.content).toHaveProperty(
        "application/pdf",
      );
    });
  });
}
