import { afterEach, describe, expect, it } from "vitest";
import { failedPrecondition } from "../errors/index.ts";
import { type TestServer, testServer } from "./http.test-support.ts";

const PROBLEM = /^application\/problem\+json/;
const reserve = "/v1/items/SKU-1/reservations";

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

describe("errors on the wire", () => {
  it("when a body field deep in an array is invalid, then 400 VALIDATION_FAILED names its path and lists every violation", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "POST",
      url: reserve,
      payload: {
        order_id: "o-1",
        lines: [
          { warehouse: "north", quantity: 2 },
          { warehouse: "west", quantity: 0 },
        ],
      },
    });

    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    const body = res.json();
    expect(body).toMatchObject({
      type: "https://orderly.dev/problems/validation-failed",
      title: "Validation failed",
      status: 400,
      reason: "VALIDATION_FAILED",
      code: "INVALID_ARGUMENT",
      instance: reserve,
    });
    expect(body.details.field).toBe("body.lines[1].warehouse");
    expect(body.details.violations).toEqual([
      { field: "body.lines[1].warehouse", description: "must be one of: north, south" },
      { field: "body.lines[1].quantity", description: "must be >= 1" },
    ]);
  });

  it("when a required body field is missing, then the violation names that field", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "POST",
      url: reserve,
      payload: { lines: [{ warehouse: "north", quantity: 1 }] },
    });

    expect(res.statusCode).toBe(400);
    expect(res.json().details.violations).toEqual([{ field: "body.order_id", description: "is required" }]);
  });

  it("when a path parameter fails its schema, then the field is the parameter's name", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/not%20a%20sku" });

    expect(res.statusCode).toBe(400);
    expect(res.json().details.field).toBe("sku");
    expect(res.json().detail).toMatch(/^sku: must match pattern/);
  });

  it("when a query parameter has the wrong type, then the field is the query parameter's name", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/SKU-1?include_reserved=perhaps" });

    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual({
      field: "include_reserved",
      violations: [{ field: "include_reserved", description: "must be boolean" }],
    });
  });

  it("when the JSON body is malformed, then 400 VALIDATION_FAILED names body", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "POST",
      url: reserve,
      headers: { "content-type": "application/json" },
      payload: '{"order_id": "o-1", "lines": [',
    });

    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ reason: "VALIDATION_FAILED", details: { field: "body" } });
  });

  it("when the body is not JSON at all, then 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "POST",
      url: reserve,
      headers: { "content-type": "text/plain" },
      payload: "order o-1 please",
    });

    expect(res.statusCode).toBe(415);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 415, reason: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("when the body is over the limit, then 413 PAYLOAD_TOO_LARGE", async () => {
    server = testServer({ bodyLimitBytes: 1024 });

    const res = await server.app.inject({
      method: "POST",
      url: reserve,
      payload: { order_id: "x".repeat(2048), lines: [{ warehouse: "north", quantity: 1 }] },
    });

    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ status: 413, reason: "PAYLOAD_TOO_LARGE", code: "INVALID_ARGUMENT" });
  });

  it("when no route matches, then 404 ROUTE_NOT_FOUND without the query string", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "DELETE",
      url: "/v1/nothing/here?email=someone@example.com",
    });

    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({
      reason: "ROUTE_NOT_FOUND",
      code: "NOT_FOUND",
      instance: "/v1/nothing/here",
    });
    expect(res.body).not.toContain("someone@example.com");
  });

  it("when the URL cannot be decoded, then 400 problem rather than fastify's own JSON", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/%E0%A4%A" });

    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM);
    expect(res.json()).toMatchObject({ reason: "VALIDATION_FAILED", details: { field: "path" } });
  });

  it("when a handler throws an AppError, then its status, reason and details reach the client", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/SKU-404" });

    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      type: "https://orderly.dev/problems/item-not-found",
      title: "Item not found",
      detail: "item SKU-404 not found",
      reason: "ITEM_NOT_FOUND",
      code: "NOT_FOUND",
      details: { sku: "SKU-404" },
    });
  });

  it("when a handler throws an unknown error, then 500 'internal error' leaks nothing and the cause is logged with its stack", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/boom", headers: { "x-request-id": "req-boom-1" } });

    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({
      reason: "INTERNAL",
      code: "INTERNAL",
      detail: "internal error",
      request_id: "req-boom-1",
    });
    expect(res.body).not.toContain("hunter2");
    expect(res.body).not.toContain("stack");
    const logged = server.logs.find((l) => l.level === "error");
    expect(logged).toMatchObject({ request_id: "req-boom-1", reason: "INTERNAL" });
    expect(logged?.err?.stack).toContain("postgres://");
  });

  it("when an AppError's details hold an int64 (bigint), then the problem still goes out with it as a string", async () => {
    server = testServer();
    server.app.get("/v1/ledger", { config: { access: "public" }, schema: { hide: true } }, async () => {
      throw failedPrecondition("BALANCE_TOO_LOW", "balance too low", { balance_minor: 9007199254740993n });
    });

    const res = await server.app.inject({ url: "/v1/ledger" });

    expect(res.statusCode).toBe(422);
    expect(res.json().details).toEqual({ balance_minor: "9007199254740993" });
  });

  it("when a request is rejected as a client error, then nothing is logged at info or above", async () => {
    server = testServer();

    await server.app.inject({ url: "/v1/items/SKU-404" });
    await server.app.inject({ url: "/nope" });
    await server.app.inject({ method: "POST", url: reserve, payload: {} });
    await server.app.inject({ url: "/v1/items/SKU-1" });

    expect(server.logs.filter((l) => l.level !== "debug")).toEqual([]);
  });

  it("when the log level is debug, then each request leaves one completion line with route template and status", async () => {
    server = testServer({ logLevel: "debug" });

    await server.app.inject({ url: "/v1/items/SKU-1", headers: { "x-request-id": "dbg-1" } });

    const lines = server.logs.filter((l) => l.msg === "request completed");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      request_id: "dbg-1",
      route: "/v1/items/:sku",
      status: 200,
      method: "GET",
    });
    expect(server.logs.some((l) => l.msg === "incoming request")).toBe(false);
  });
});
