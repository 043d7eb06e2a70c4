import { testDatabaseKinds } from "@orderly/testkit/db";
import { freePort } from "@orderly/testkit/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequest, type RunningFulfillment, startFulfillment } from "./fulfillment.test-support.ts";

const UNKNOWN_ID = "0190f3a2-0000-7000-8000-000000000099";

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

for (const kind of testDatabaseKinds()) {
  describe(`fulfillment HTTP API (${kind})`, () => {
    let svc: RunningFulfillment;
    // One service and database per kind; every test uses its own order ids.
    beforeAll(async () => {
      svc = await startFulfillment(kind, "fulfillment_http", await freePort());
    });
    afterAll(async () => {
      await svc?.stop();
    });

    const call = async (
      method: string,
      path: string,
      init: { json?: unknown; raw?: string } = {},
    ): Promise<Answer> => {
      const body = init.raw ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
      const response = await fetch(svc.running.httpUrl + path, {
        method,
        ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const create = async (orderId: string) => {
      const { shipment } = await svc.grpc.createShipment(createRequest(orderId));
      if (!shipment) throw new Error("CreateShipment answered without a shipment");
      return shipment.id;
    };
    const statusOf = async (id: string) => (await call("GET", `/v1/shipments/${id}`)).body.status;
    const problem = (status: number, reason: string, field?: string) => ({
      status,
      body: expect.objectContaining({
        reason,
        ...(field ? { details: expect.objectContaining({ field }) } : {}),
      }),
    });

    it("when a shipment is fetched, then the JSON has snake_case fields, integer quantities and ISO times", async () => {
      const id = await create("http-get-1");

      const { status, body } = await call("GET", `/v1/shipments/${id}`);

      expect(status).toBe(200);
      expect(body).toEqual({
        id,
        order_id: "http-get-1",
        customer_id: "customer-ada",
        status: "PENDING",
        lines: [
          { sku: "MUG-1", quantity: 2 },
          { sku: "TEE-RED-M", quantity: 1 },
        ],
        address: {
          name: "Ada Lovelace",
          line1: "1 Loop Street",
          line2: "Floor 2",
          city: "Berlin",
          postal_code: "10115",
          country_code: "DE",
        },
        carrier: "",
        tracking_number: "",
        cancel_reason: "",
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: body.created_at,
      });
    });

    it("when an id is unknown or malformed, then 404 SHIPMENT_NOT_FOUND or 400 naming id", async () => {
      expect(await call("GET", `/v1/shipments/${UNKNOWN_ID}`)).toEqual(problem(404, "SHIPMENT_NOT_FOUND"));
      expect(await call("POST", `/v1/shipments/${UNKNOWN_ID}/pick`)).toEqual(
        problem(404, "SHIPMENT_NOT_FOUND"),
      );
      expect(await call("GET", "/v1/shipments/not-a-uuid")).toEqual(problem(400, "VALIDATION_FAILED", "id"));
      expect(await call("GET", `/v1/shipments/${UNKNOWN_ID}%00`)).toEqual(
        problem(400, "VALIDATION_FAILED", "id"),
      );
    });

    it("when a warehouse picks, packs, ships and delivers, then each step answers the moved shipment and repeats change nothing", async () => {
      const id = await create("http-steps-1");
      const picked = await call("POST", `/v1/shipments/${id}/pick`);
      const pickedAgain = await call("POST", `/v1/shipments/${id}/pick`, { json: {} });
      const packed = await call("POST", `/v1/shipments/${id}/pack`);
      const shipped = await call("POST", `/v1/shipments/${id}/ship`);
      const delivered = await call("POST", `/v1/shipments/${id}/deliver`);

      expect([picked, packed, shipped, delivered].map((a) => [a.status, a.body.status])).toEqual([
        [200, "PICKING"],
        [200, "PACKED"],
        [200, "SHIPPED"],
        [200, "DELIVERED"],
      ]);
      expect(pickedAgain).toEqual(picked);
      expect(shipped.body).toMatchObject({
        carrier: "DHL",
        tracking_number: expect.stringMatching(/^\d{10}$/),
      });
      expect(delivered.body.tracking_number).toBe(shipped.body.tracking_number);
    });

    it("when a step is skipped, then 422 ILLEGAL_TRANSITION (FAILED_PRECONDITION) and the shipment stays", async () => {
      const id = await create("http-illegal-1");

      const answer = await call("POST", `/v1/shipments/${id}/ship`);

      expect(answer).toEqual(problem(422, "ILLEGAL_TRANSITION"));
      expect(answer.body).toMatchObject({
        code: "FAILED_PRECONDITION",
        details: { from: "PENDING", to: "SHIPPED" },
      });
      expect(await statusOf(id)).toBe("PENDING");
    });

    it("when a shipment is cancelled with a reason and again with another, then it is CANCELLED with the first", async () => {
      const id = await create("http-cancel-1");

      const first = await call("POST", `/v1/shipments/${id}/cancel`, { json: { reason: "customer asked" } });
      const again = await call("POST", `/v1/shipments/${id}/cancel`, { json: { reason: "changed mind" } });

      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: "CANCELLED", cancel_reason: "customer asked" });
      expect(again).toEqual(first);
    });

    it("when a shipped shipment is cancelled, then 422 ALREADY_SHIPPED (FAILED_PRECONDITION) and it stays SHIPPED", async () => {
      const id = await create("http-cancel-shipped");
      for (const step of ["pick", "pack", "ship"]) await call("POST", `/v1/shipments/${id}/${step}`);

      const answer = await call("POST", `/v1/shipments/${id}/cancel`, { json: { reason: "too late" } });

      expect(answer).toEqual(problem(422, "ALREADY_SHIPPED"));
      expect(answer.body).toMatchObject({ code: "FAILED_PRECONDITION", details: { status: "SHIPPED" } });
      expect(await statusOf(id)).toBe("SHIPPED");
    });

    it("when a shipment is cancelled without a body, then it is CANCELLED with no reason", async () => {
      const id = await create("http-cancel-2");

      const answer = await call("POST", `/v1/shipments/${id}/cancel`);

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: "CANCELLED", cancel_reason: "" });
    });

    it.each<{
      what: string;
      init: { json?: unknown; raw?: string };
      status: number;
      reason: string;
      field?: string;
    }>([
      {
        what: "malformed JSON",
        init: { raw: '{"reason": "x"' },
        status: 400,
        reason: "VALIDATION_FAILED",
        field: "body",
      },
      {
        what: "a JSON array",
        init: { json: ["x"] },
        status: 400,
        reason: "VALIDATION_FAILED",
        field: "body",
      },
      {
        what: "a reason of 501 characters",
        init: { json: { reason: "x".repeat(501) } },
        status: 400,
        reason: "VALIDATION_FAILED",
        field: "body.reason",
      },
      {
        what: "a reason with a NUL byte",
        init: { json: { reason: "lost\u0000" } },
        status: 400,
        reason: "VALIDATION_FAILED",
        field: "reason",
      },
      {
        what: "a 2 MiB body",
        init: { json: { reason: "x".repeat(2 * 1024 * 1024) } },
        status: 413,
        reason: "PAYLOAD_TOO_LARGE",
      },
    ])(
      "when cancel gets $what, then $status $reason and the shipment stays",
      async ({ what, init, status, reason, field }) => {
        const id = await create(`http-cancel-bad ${what}`);

        const answer = await call("POST", `/v1/shipments/${id}/cancel`, init);

        expect(answer).toEqual(problem(status, reason, field));
        expect(answer.body.code).toBe("INVALID_ARGUMENT");
        expect(await statusOf(id)).toBe("PENDING");
      },
    );

    it("when shipments are listed by order, then that order's shipment comes back", async () => {
      const id = await create("http-list-1");

      const { status, body } = await call("GET", "/v1/shipments?order_id=http-list-1");

      expect(status).toBe(200);
      expect(body).toEqual({
        shipments: [expect.objectContaining({ id, order_id: "http-list-1" })],
        next_page_token: "",
      });
    });

    it("when shipments are listed by customer, then only that customer's come back", async () => {
      const { shipment } = await svc.grpc.createShipment(createRequest("http-customer-1", "customer-http-1"));
      await svc.grpc.createShipment(createRequest("http-customer-2", "customer-http-2"));

      const { status, body } = await call("GET", "/v1/shipments?customer_id=customer-http-1");

      expect(status).toBe(200);
      expect(body).toEqual({
        shipments: [expect.objectContaining({ id: shipment?.id, customer_id: "customer-http-1" })],
        next_page_token: "",
      });
    });

    it("when shipments are listed by status a page at a time, then every match comes once in creation order", async () => {
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const id = await create(`http-page-${n}`);
        await call("POST", `/v1/shipments/${id}/pick`);
        await call("POST", `/v1/shipments/${id}/pack`);
        ids.push(id);
      }

      const listed: string[] = [];
      let token = "";
      do {
        const query = `status=PACKED&page_size=2${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
        const { body } = await call("GET", `/v1/shipments?${query}`);
        const page = body.shipments as { id: string; order_id: string }[];
        listed.push(...page.filter((s) => s.order_id.startsWith("http-page-")).map((s) => s.id));
        token = body.next_page_token as string;
      } while (token !== "");

      expect(listed).toEqual(ids);
    });

    it.each([
      ["status=LOST", "status"],
      ["page_size=101", "page_size"],
      ["page_size=two", "page_size"],
      ["page_token=nope", "page_token"],
      [`customer_id=${"c".repeat(129)}`, "customer_id"],
      ["customer_id=customer%00-1", "customer_id"],
      ["order_id=order%00-1", "order_id"],
      ["order_id=order%01-1", "order_id"],
    ])("when the list query has %s, then 400 names %s", async (query, field) => {
      expect(await call("GET", `/v1/shipments?${query}`)).toEqual(problem(400, "VALIDATION_FAILED", field));
    });

    it("when the operational endpoints are asked, then health is up, metrics render and openapi lists the shipment routes", async () => {
      const base = svc.running.httpUrl;
      const health = await fetch(`${base}/health`);
      const ready = await fetch(`${base}/health/ready`);
      const metrics = await fetch(`${base}/metrics`);
      const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };

      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: expect.any(String), checks: expect.anything() });
      expect(ready.status).toBe(200);
      expect(await metrics.text()).toContain("orderly_http_server_request_duration_seconds");
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          "/v1/shipments",
          "/v1/shipments/{id}",
          "/v1/shipments/{id}/pick",
          "/v1/shipments/{id}/pack",
          "/v1/shipments/{id}/ship",
          "/v1/shipments/{id}/deliver",
          "/v1/shipments/{id}/cancel",
        ]),
      );
    });
  });
}
