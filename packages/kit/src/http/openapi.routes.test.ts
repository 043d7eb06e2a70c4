import { afterEach, describe, expect, it } from "vitest";
import { defineRoute } from "./define-route.ts";
import { type TestServer, testServer } from "./http.test-support.ts";

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

interface Operation {
  operationId?: string;
  parameters?: Array<{ in: string; name: string; required: boolean }>;
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Doc = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

describe("GET /openapi.json", () => {
  it("when the service registered /v1 routes after createHttpServer, then the OpenAPI 3.1 document describes them", async () => {
    server = testServer({ openapi: { title: "Inventory API", description: "Stock and reservations" } });

    const res = await server.app.inject({ url: "/openapi.json" });

    expect(res.statusCode).toBe(200);
    const doc = res.json() as Doc;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toEqual({
      title: "Inventory API",
      description: "Stock and reservations",
      version: "1.2.3",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    });
    const get = doc.paths["/v1/items/{sku}"]?.get;
    expect(get?.operationId).toBe("getItem");
    expect(get?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: "path", name: "sku", required: true }),
        expect.objectContaining({ in: "query", name: "include_reserved", required: false }),
      ]),
    );
    const post = doc.paths["/v1/items/{sku}/reservations"]?.post;
    expect(post?.requestBody?.content["application/json"]?.schema.required).toEqual(["order_id", "lines"]);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(["201", "default"]));
  });

  it("when a route is added later inside a plugin, then it is in the document too", async () => {
    server = testServer();
    server.app.register(
      async (child) => {
        child.route(
          defineRoute<{ Querystring: { limit?: number } }>({
            method: "GET",
            url: "/warehouses",
            operationId: "listWarehouses",
            scope: "inventory:read",
            schema: {
              querystring: { type: "object", properties: { limit: { type: "integer" } } },
              response: { 200: { type: "array", items: { type: "string" } } },
            },
            handler: async () => ["north", "south"],
          }),
        );
      },
      { prefix: "/v1" },
    );

    const doc = (await server.app.inject({ url: "/openapi.json" })).json() as Doc;

    expect(doc.paths["/v1/warehouses"]?.get?.operationId).toBe("listWarehouses");
    expect((await server.app.inject({ url: "/v1/warehouses?limit=2" })).json()).toEqual(["north", "south"]);
  });

  it("when read, then every operation documents its problem+json errors and the probes are not listed", async () => {
    server = testServer();

    const doc = (await server.app.inject({ url: "/openapi.json" })).json() as Doc;

    expect(doc.components.schemas.ProblemDetails).toMatchObject({
      required: expect.arrayContaining(["reason", "code"]),
    });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        expect(op.responses.default?.content, path).toHaveProperty(["application/problem+json"]);
      }
    }
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith("/v1/"))).toEqual([]);
  });
});
