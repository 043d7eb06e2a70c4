import { describe, expect, it } from "vitest";
import { derivedOperationId, describeOperation } from "./openapi-operation.ts";

const problem = expect.objectContaining({
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/ProblemDetails" } } },
});

describe("describeOperation", () => {
  it("when a route names no operationId, then one is derived from its method and path", () => {
    expect(derivedOperationId("GET", "/v1/orders/:id")).toBe("getOrdersById");
    expect(derivedOperationId("POST", "/v1/shipments/:id/cancel")).toBe("postShipmentsByIdCancel");
    expect(derivedOperationId("GET", "/v1/items/:sku/adjustments")).toBe("getItemsBySkuAdjustments");
    expect(describeOperation({}, "GET", "/v1/items")).toMatchObject({ operationId: "getItems" });
  });

  it("when a route names its operationId, then it is kept", () => {
    expect(
      describeOperation({ operationId: "getInvoice" } as never, "GET", "/v1/invoices/:id"),
    ).toMatchObject({
      operationId: "getInvoice",
    });
  });

  it("when a route reads a resource by id, then 400, 404, 503 and default are documented as problem+json", () => {
    const schema = describeOperation({ response: { 200: { type: "object" } } }, "GET", "/v1/orders/:id");

    expect(schema.response).toEqual({
      200: { type: "object" },
      400: problem,
      404: problem,
      503: problem,
      default: problem,
    });
  });

  it("when a route takes a body, then 413 is documented; an upsert by PUT documents no 404", () => {
    const schema = describeOperation({ body: { type: "object" }, response: {} }, "PUT", "/v1/items/:sku");

    expect(Object.keys(schema.response as object).sort()).toEqual(["400", "413", "503", "default"]);
  });

  it("when a route documents its own 404, then the kit's does not replace it", () => {
    const own = { description: "no such order" };
    const schema = describeOperation({ response: { 404: own } }, "GET", "/v1/orders/:id");

    expect((schema.response as Record<string, unknown>)["404"]).toBe(own);
  });

  it("when a route has no authentication, then its security is an explicit empty list", () => {
    expect(describeOperation({}, "GET", "/v1/items")).toMatchObject({ security: [] });
  });
});
