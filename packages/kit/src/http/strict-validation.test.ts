import { afterEach, describe, expect, it } from "vitest";
import { type TestServer, testServer } from "./http.test-support.ts";
import { closeObjects } from "./strict-validation.ts";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const reserve = (payload: string | Buffer) =>
  (server as TestServer).app.inject({
    method: "POST",
    url: "/v1/items/SKU-1/reservations",
    headers: { "content-type": "application/json" },
    payload,
  });

describe("strict request bodies", () => {
  it.each([
    [
      "an unknown top-level field",
      '{"order_id":"o-1","coupon":"FREE","lines":[{"warehouse":"north","quantity":1}]}',
      "body.coupon",
      "is not allowed",
    ],
    [
      "an unknown field in a line",
      '{"order_id":"o-1","lines":[{"warehouse":"north","quantity":1,"gift":true}]}',
      "body.lines[0].gift",
      "is not allowed",
    ],
    [
      "a number as a string",
      '{"order_id":"o-1","lines":[{"warehouse":"north","quantity":"2"}]}',
      "body.lines[0].quantity",
      "must be integer",
    ],
    [
      "true for a number",
      '{"order_id":"o-1","lines":[{"warehouse":"north","quantity":true}]}',
      "body.lines[0].quantity",
      "must be integer",
    ],
    [
      "a number for a string",
      '{"order_id":5,"lines":[{"warehouse":"north","quantity":1}]}',
      "body.order_id",
      "must be string",
    ],
  ])(
    "when the body has %s, then 400 naming %s and nothing is coerced",
    async (_, payload, field, description) => {
      server = testServer();
      const res = await reserve(payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect(res.json().details.violations).toContainEqual({ field, description });
    },
  );

  it("when the body is not valid UTF-8, then 400 naming the body instead of storing U+FFFD", async () => {
    server = testServer();
    const bytes = Buffer.concat([
      Buffer.from('{"order_id":"o-'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","lines":[]}'),
    ]);
    const res = await reserve(bytes);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.violations).toEqual([{ field: "body", description: "must be valid UTF-8" }]);
  });

  it.each([
    [
      "a NUL byte",
      '{"order_id":"o\\u0000-1","lines":[{"warehouse":"north","quantity":1}]}',
      "order_id",
      "must not contain NUL or other control characters",
    ],
    [
      "a lone surrogate",
      '{"order_id":"o-1","lines":[{"warehouse":"north\\ud800","quantity":1}]}',
      "lines[0].warehouse",
      "must be valid Unicode text (no lone surrogates)",
    ],
    [
      "a NUL in a field name",
      '{"order_id":"o-1","lines":[],"x\\u0000":1}',
      "x\u0000",
      "name must not contain NUL or other control characters",
    ],
  ])(
    "when a body string holds %s, then 400 naming the field before any schema runs",
    async (_label, payload, field, description) => {
      server = testServer();
      const response = await reserve(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().details).toMatchObject({ field, violations: [{ field, description }] });
    },
  );

  it.each([
    ["/v1/items/SKU-1?include_reserved=tr%00ue", "include_reserved"],
    ["/v1/items/SKU%00-1", "sku"],
    ["/v1/items/SKU-1?include_reserved=%ED%A0%80", "include_reserved"],
  ])("when %s carries a NUL or a lone surrogate, then 400 naming the parameter", async (url, field) => {
    server = testServer();
    const response = await server.app.inject({ url });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.field).toBe(field);
  });

  it("when the body is valid, then the handler sees exactly what was sent", async () => {
    server = testServer();
    const res = await reserve(
      '{"order_id":"o-7","lines":[{"warehouse":"north","quantity":2},{"warehouse":"south","quantity":3}]}',
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ reservation_id: "res-o-7", quantity: 5 });
  });

  it("when a query parameter is sent as text, then it is still read as its declared type", async () => {
    server = testServer();
    const res = await server.app.inject({ method: "GET", url: "/v1/items/SKU-1?include_reserved=true" });
    expect(res.statusCode).toBe(200);
  });
});

describe("closeObjects", () => {
  it("when a schema lists properties without saying more, then it admits no others; an explicit choice stays", () => {
    const schema = {
      type: "object",
      properties: {
        lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } },
        meta: { type: "object", properties: {}, additionalProperties: true },
      },
    };
    expect(closeObjects(schema)).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        lines: {
          type: "array",
          items: { type: "object", additionalProperties: false, properties: { sku: { type: "string" } } },
        },
        meta: { type: "object", properties: {}, additionalProperties: true },
      },
    });
  });
});
