import { testDatabaseKinds } from "@orderly/testkit/db";
import { describe, expect, it } from "vitest";
import { type HttpAnswer, useInventory } from "./support/inventory-harness.ts";

const price = { currency_code: "EUR", amount_minor: 1250 };

/** What a client reads from a 400: status, the machine-readable code and the fields named. */
function rejection(answer: HttpAnswer) {
  return {
    status: answer.status,
    code: answer.body?.code,
    fields: (answer.body?.details?.violations ?? []).map((v: { field: string }) => v.field),
  };
}

for (const kind of testDatabaseKinds()) {
  describe(`items over HTTP (${kind})`, () => {
    // One server and database per kind; every test uses its own SKUs and ids.
    const h = useInventory(kind, "http_items");

    it("when an item is PUT twice, then 201 on creation, 200 on replacement, and GET shows the latest", async () => {
      const created = await h.http("PUT", "/v1/items/H-PUT", { name: "Mug", unit_price: price });
      const replaced = await h.http("PUT", "/v1/items/H-PUT", {
        name: "Big mug",
        unit_price: { currency_code: "JPY", amount_minor: 800 },
      });
      expect(created.status).toBe(201);
      expect(replaced.status).toBe(200);
      const got = await h.http("GET", "/v1/items/H-PUT");
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        sku: "H-PUT",
        name: "Big mug",
        unit_price: { currency_code: "JPY", amount_minor: 800 },
        on_hand: 0,
        reserved: 0,
        available: 0,
        updated_at: replaced.body.updated_at,
      });
      expect(Number.isNaN(Date.parse(got.body.updated_at))).toBe(false);
    });

    it("when stock is adjusted, then 201 with the item and the entry, and the trail lists every change oldest first", async () => {
      await h.http("PUT", "/v1/items/H-ADJ", { name: "Mug", unit_price: price });
      const added = await h.http("POST", "/v1/items/H-ADJ/adjustments", {
        delta: 10,
        reason: "delivery",
        adjustment_id: "h-in",
      });
      const removed = await h.http("POST", "/v1/items/H-ADJ/adjustments", {
        delta: -4,
        reason: "breakage",
        adjustment_id: "h-out",
      });
      expect(added.status).toBe(201);
      expect(removed.body).toMatchObject({
        item: { sku: "H-ADJ", on_hand: 6, reserved: 0, available: 6 },
        adjustment: { sku: "H-ADJ", delta: -4, reason: "breakage", on_hand_after: 6 },
      });
      const trail = await h.http("GET", "/v1/items/H-ADJ/adjustments?page_size=1");
      const rest = await h.http(
        "GET",
        `/v1/items/H-ADJ/adjustments?page_token=${trail.body.next_page_token}`,
      );
      expect([...trail.body.adjustments, ...rest.body.adjustments]).toEqual([
        added.body.adjustment,
        removed.body.adjustment,
      ]);
      expect(rest.body.next_page_token).toBe("");
    });

    it("when an adjustment is repeated with its adjustment_id, then the original entry comes back and stock moves once", async () => {
      await h.http("PUT", "/v1/items/H-ONCE", { name: "Mug", unit_price: price });
      const body = { delta: 3, reason: "delivery", adjustment_id: "h-delivery-1" };
      const first = await h.http("POST", "/v1/items/H-ONCE/adjustments", body);
      const again = await h.http("POST", "/v1/items/H-ONCE/adjustments", body);
      expect(again.status).toBe(201);
      expect(again.body.adjustment).toEqual(first.body.adjustment);
      expect((await h.http("GET", "/v1/items/H-ONCE")).body.on_hand).toBe(3);

      const reused = await h.http("POST", "/v1/items/H-ONCE/adjustments", { ...body, delta: 4 });
      expect(reused).toMatchObject({
        status: 422,
        body: { code: "FAILED_PRECONDITION", reason: "ADJUSTMENT_CONFLICT" },
      });
      expect((await h.http("GET", "/v1/items/H-ONCE")).body.on_hand).toBe(3);
    });

    it("when the adjustment_id comes as an Idempotency-Key header, then a repeat applies once too", async () => {
      await h.http("PUT", "/v1/items/H-HEADER", { name: "Mug", unit_price: price });
      const post = (key: string) =>
        h.http("POST", "/v1/items/H-HEADER/adjustments", { delta: 2, reason: "delivery" }, undefined, {
          "idempotency-key": key,
        });

      const first = await post("h-header-1");
      const again = await post("h-header-1");

      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.adjustment).toEqual(first.body.adjustment);
      expect((await h.http("GET", "/v1/items/H-HEADER")).body.on_hand).toBe(2);
    });

    it("when an adjustment has no key, or a body key and a different header key, then 400 names adjustment_id and stock stays", async () => {
      await h.http("PUT", "/v1/items/H-NOKEY", { name: "Mug", unit_price: price });
      const missing = await h.http("POST", "/v1/items/H-NOKEY/adjustments", { delta: 2, reason: "delivery" });
      const differing = await h.http(
        "POST",
        "/v1/items/H-NOKEY/adjustments",
        { delta: 2, reason: "delivery", adjustment_id: "k-body" },
        undefined,
        { "idempotency-key": "k-header" },
      );

      for (const answer of [missing, differing]) {
        expect(rejection(answer)).toEqual({
          status: 400,
          code: "INVALID_ARGUMENT",
          fields: ["adjustment_id"],
        });
      }
      expect((await h.http("GET", "/v1/items/H-NOKEY")).body.on_hand).toBe(0);
    });

    it("when items are listed with repeated sku parameters, then only those come, page by page in SKU order", async () => {
      for (const sku of ["H-LIST-A", "H-LIST-B", "H-LIST-C"]) {
        await h.http("PUT", `/v1/items/${sku}`, { name: sku, unit_price: price });
      }
      const query = "sku=H-LIST-C&sku=H-LIST-A&sku=H-LIST-B&sku=H-LIST-NONE";
      const first = await h.http("GET", `/v1/items?${query}&page_size=2`);
      const second = await h.http(
        "GET",
        `/v1/items?${query}&page_size=2&page_token=${first.body.next_page_token}`,
      );
      expect(first.body.items.map((i: { sku: string }) => i.sku)).toEqual(["H-LIST-A", "H-LIST-B"]);
      expect(second.body).toMatchObject({ items: [{ sku: "H-LIST-C" }], next_page_token: "" });
      const single = await h.http("GET", "/v1/items?sku=H-LIST-B");
      expect(single.body.items.map((i: { sku: string }) => i.sku)).toEqual(["H-LIST-B"]);
    });

    it("when a SKU is unknown, then 404 problem+json with ITEM_NOT_FOUND", async () => {
      for (const path of ["/v1/items/H-NOPE", "/v1/items/H-NOPE/adjustments"]) {
        const answer = await h.http("GET", path);
        expect(answer.contentType).toContain("application/problem+json");
        expect(answer).toMatchObject({ status: 404, body: { code: "NOT_FOUND", reason: "ITEM_NOT_FOUND" } });
      }
      const adjust = await h.http("POST", "/v1/items/H-NOPE/adjustments", {
        delta: 1,
        reason: "x",
        adjustment_id: "h-nope",
      });
      expect(adjust.status).toBe(404);
    });

    it("when an item is PUT with bad input, then 400 names the field and nothing is stored", async () => {
      const put = (sku: string, body?: unknown, raw?: string) => h.http("PUT", `/v1/items/${sku}`, body, raw);
      const cases: [Promise<HttpAnswer>, string[]][] = [
        [
          put("H-BAD", { name: "Mug", unit_price: { currency_code: "ABC", amount_minor: 1 } }),
          ["unit_price.currency_code"],
        ],
        [
          put("H-BAD", { name: "Mug", unit_price: { currency_code: "EUR", amount_minor: -1 } }),
          ["unit_price.amount_minor"],
        ],
        [
          put("H-BAD", { name: "Mug", unit_price: { currency_code: "EUR", amount_minor: 1.5 } }),
          ["body.unit_price.amount_minor"],
        ],
        [put("H-BAD", { name: " ", unit_price: price }), ["name"]],
        [put("H-BAD", { unit_price: price }), ["body.name"]],
        [put("h-bad", { name: "Mug", unit_price: price }), ["sku"]],
        [put("H-BAD", undefined, '{"name": "Mug",'), ["body"]],
      ];
      for (const [answer, fields] of cases) {
        expect(rejection(await answer)).toEqual({ status: 400, code: "INVALID_ARGUMENT", fields });
      }
      expect((await h.http("GET", "/v1/items/H-BAD")).status).toBe(404);
    });

    it("when an item's name or SKU holds a NUL, a control character or a lone surrogate, then 400 names the field", async () => {
      const cases: [string, unknown, string][] = [
        ["H-TEXT", { name: "Mug\u0000", unit_price: price }, "name"],
        ["H-TEXT", { name: "Mug\u0007bell", unit_price: price }, "name"],
        ["H-TEXT", { name: "Mug\u009b", unit_price: price }, "name"],
        ["H-TEXT", { name: "Mug \ud800", unit_price: price }, "name"],
        ["H-TEXT%00", { name: "Mug", unit_price: price }, "sku"],
        ["H-TEXT%0A", { name: "Mug", unit_price: price }, "sku"],
      ];
      for (const [sku, body, field] of cases) {
        // JSON.stringify writes a lone surrogate as the escape \ud800, which is how a client sends one.
        const answer = await h.http("PUT", `/v1/items/${sku}`, body);
        expect(rejection(answer)).toEqual({ status: 400, code: "INVALID_ARGUMENT", fields: [field] });
      }
      expect((await h.http("GET", "/v1/items/H-TEXT")).status).toBe(404);
    });

    it("when a body has an unknown field or a value of the wrong JSON type, then 400 names it and nothing is coerced or stored", async () => {
      await h.http("PUT", "/v1/items/H-STRICT", { name: "Mug", unit_price: price });
      const cases: [string, string, unknown, string[]][] = [
        [
          "PUT",
          "/v1/items/H-STRICT-NEW",
          { name: "Mug", unit_price: price, colour: "blue" },
          ["body.colour"],
        ],
        [
          "PUT",
          "/v1/items/H-STRICT-NEW",
          { name: "Mug", unit_price: { ...price, amount: 5 } },
          ["body.unit_price.amount"],
        ],
        ["PUT", "/v1/items/H-STRICT-NEW", { name: 42, unit_price: price }, ["body.name"]],
        [
          "PUT",
          "/v1/items/H-STRICT-NEW",
          { name: "Mug", unit_price: { ...price, amount_minor: "250" } },
          ["body.unit_price.amount_minor"],
        ],
        [
          "POST",
          "/v1/items/H-STRICT/adjustments",
          { delta: 1, reason: "count", adjustmnt_id: "k-typo" },
          ["body.adjustmnt_id"],
        ],
        [
          "POST",
          "/v1/items/H-STRICT/adjustments",
          { delta: "5", reason: "count", adjustment_id: "k-s" },
          ["body.delta"],
        ],
        [
          "POST",
          "/v1/items/H-STRICT/adjustments",
          { delta: 1, reason: true, adjustment_id: "k-b" },
          ["body.reason"],
        ],
      ];
      for (const [method, path, body, fields] of cases) {
        expect(rejection(await h.http(method, path, body))).toEqual({
          status: 400,
          code: "INVALID_ARGUMENT",
          fields,
        });
      }
      expect((await h.http("GET", "/v1/items/H-STRICT-NEW")).status).toBe(404);
      expect((await h.http("GET", "/v1/items/H-STRICT")).body.on_hand).toBe(0);
    });

    it("when an adjustment has bad input, then 400 (413 when oversized) names the problem and stock and trail stay", async () => {
      await h.http("PUT", "/v1/items/H-BAD-ADJ", { name: "Mug", unit_price: price });
      await h.http("POST", "/v1/items/H-BAD-ADJ/adjustments", {
        delta: 5,
        reason: "delivery",
        adjustment_id: "k-0",
      });
      const post = (body?: unknown, raw?: string) =>
        h.http("POST", "/v1/items/H-BAD-ADJ/adjustments", body, raw);
      const cases: [Promise<HttpAnswer>, string[]][] = [
        [post({ delta: 0, reason: "count", adjustment_id: "k-1" }), ["delta"]],
        [post({ delta: -1.5, reason: "count", adjustment_id: "k-1" }), ["body.delta"]],
        [post({ delta: 1, adjustment_id: "k-1" }), ["body.reason"]],
        [post({ delta: 1, reason: "x".repeat(201), adjustment_id: "k-1" }), ["reason"]],
        [post({ delta: 1, reason: "count", adjustment_id: "" }), ["body.adjustment_id"]],
        [post({ delta: 1, reason: "count", adjustment_id: "k".repeat(129) }), ["adjustment_id"]],
        [post(undefined, "{delta: 1}"), ["body"]],
      ];
      for (const [answer, fields] of cases) {
        expect(rejection(await answer)).toEqual({ status: 400, code: "INVALID_ARGUMENT", fields });
      }
      const oversized = await post({ delta: 1, reason: "x".repeat(2 * 1024 * 1024) });
      expect(oversized).toMatchObject({
        status: 413,
        body: { code: "INVALID_ARGUMENT", reason: "PAYLOAD_TOO_LARGE" },
      });

      expect((await h.http("GET", "/v1/items/H-BAD-ADJ")).body).toMatchObject({ on_hand: 5, available: 5 });
      expect((await h.http("GET", "/v1/items/H-BAD-ADJ/adjustments")).body.adjustments).toHaveLength(1);
    });

    it("when a list has bad parameters, then 400 names the parameter", async () => {
      const cases: [string, string[]][] = [
        ["/v1/items?page_size=abc", ["page_size"]],
        ["/v1/items?page_size=500", ["page_size"]],
        ["/v1/items?page_token=nope", ["page_token"]],
        ["/v1/items?sku=H-OK&sku=h-bad", ["sku[1]"]],
        ["/v1/items?sku=H-A,H-B", ["sku[0]"]],
        ["/v1/items/", ["sku"]],
        ["/v1/items/H-ADJ/adjustments?page_size=-2", ["page_size"]],
      ];
      for (const [path, fields] of cases) {
        expect(rejection(await h.http("GET", path))).toEqual({
          status: 400,
          code: "INVALID_ARGUMENT",
          fields,
        });
      }
    });

    it("when operators probe the service, then health, readiness, metrics and the OpenAPI document answer", async () => {
      const health = await h.http("GET", "/health");
      expect(health).toMatchObject({ status: 200, body: { status: expect.any(String), version: "0.1.0" } });
      expect((await h.http("GET", "/health/ready")).status).toBe(200);

      const metrics = await h.http("GET", "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain("orderly_inventory_reservations_expired_total");
      expect(metrics.body).toContain('http_route="/v1/items/:sku"');

      const openapi = await h.http("GET", "/openapi.json");
      expect(openapi.status).toBe(200);
      expect(openapi.body.paths).toMatchObject({
        "/v1/items": { get: expect.anything() },
        "/v1/items/{sku}": { get: expect.anything(), put: expect.anything() },
        "/v1/items/{sku}/adjustments": { get: expect.anything(), post: expect.anything() },
      });
    });
  });
}
