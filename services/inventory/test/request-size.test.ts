import { Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { failure, useInventory } from "./support/inventory-harness.ts";

// The request bounds come from the kit config: lowered here to 2 KiB so a modest request crosses them.
describe("request size limits from config (pglite)", () => {
  const h = useInventory("pglite", "request_size", {
    HTTP_BODY_LIMIT_BYTES: "2048",
    GRPC_MAX_MESSAGE_BYTES: "2048",
    // The whole suite may be loading the machine: no 503 OVERLOADED standing in for the answer.
    LOAD_MAX_EVENT_LOOP_DELAY_MS: "0",
  });

  it("when an HTTP body is over HTTP_BODY_LIMIT_BYTES, then 413 problem+json, and under it the route answers", async () => {
    const price = { currency_code: "EUR", amount_minor: 100 };
    const big = await h.http("PUT", "/v1/items/SIZE-1", { name: "x".repeat(3000), unit_price: price });
    expect(big.status).toBe(413);
    expect(big.contentType).toMatch(/^application\/problem\+json/);
    expect((await h.http("PUT", "/v1/items/SIZE-1", { name: "Mug", unit_price: price })).status).toBe(201);
  });

  it("when a gRPC request is over GRPC_MAX_MESSAGE_BYTES, then RESOURCE_EXHAUSTED before any handler", async () => {
    const error = await failure(h.inventory.getItem({ sku: "X".repeat(3000) }));
    expect(error.code).toBe(Code.RESOURCE_EXHAUSTED);
  });
});
