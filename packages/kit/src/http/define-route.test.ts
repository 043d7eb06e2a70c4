import { afterEach, describe, expect, it } from "vitest";
import { defineRoute } from "./define-route.ts";
import { type TestServer, testServer } from "./http.test-support.ts";

const ok = { 200: { type: "object", properties: { ok: { type: "boolean" } } } };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

describe("defineRoute", () => {
  it("when a URL has parameters but no params schema, then defining the route fails naming it", () => {
    expect(() =>
      defineRoute({
        method: "GET",
        url: "/v1/orders/:id",
        operationId: "getOrder",
        scope: "orders:read",
        schema: { response: ok },
        handler: async () => ({ ok: true }),
      }),
    ).toThrow("GET /v1/orders/:id: the URL has parameters but schema.params is missing");
  });

  it("when a POST has no body schema, then defining the route fails", () => {
    expect(() =>
      defineRoute({
        method: "POST",
        url: "/v1/orders",
        operationId: "createOrder",
        scope: "orders:write",
        schema: { response: ok },
        handler: async () => ({ ok: true }),
      }),
    ).toThrow("POST needs schema.body");
  });

  it("when a success status is given, then responses use it", async () => {
    server = testServer();

    const res = await server.app.inject({
      method: "POST",
      url: "/v1/items/SKU-1/reservations",
      payload: { order_id: "o-9", lines: [{ warehouse: "south", quantity: 3 }] },
    });

    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ reservation_id: "res-o-9", quantity: 3 });
  });

  it("when the handler returns more than the response schema names, then only the declared fields go out", async () => {
    server = testServer();
    server.app.route(
      defineRoute({
        method: "GET",
        url: "/v1/me",
        operationId: "me",
        public: true,
        schema: { response: { 200: { type: "object", properties: { name: { type: "string" } } } } },
        handler: async () => ({ name: "Ada", password_hash: "$2b$10$secret" }),
      }),
    );

    const res = await server.app.inject({ url: "/v1/me" });

    expect(res.json()).toEqual({ name: "Ada" });
  });
});

describe("schema guard on plain fastify routes", () => {
  it("when a service adds a body route without a schema through app.post, then registration fails at startup", () => {
    server = testServer();

    expect(() => server?.app.post("/v1/notes", async () => ({}))).toThrow(
      /POST \/v1\/notes: POST needs schema\.body/,
    );
  });
});
