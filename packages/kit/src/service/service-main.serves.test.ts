import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it } from "vitest";
import { partialService } from "../grpc/index.ts";
import { defineRoute } from "../http/index.ts";
import { servedApi, serviceMain } from "./service-main.ts";
import { fixtureConfig, stopWhenFinished, testClient } from "./testing/service-test-kit.test-support.ts";

/** A stand-in for an app's API: what both transports must reach. */
interface NamingApi {
  nameOf(sku: string): string;
}

const served = servedApi({
  grpc: InventoryService,
  grpcHandlers: (api: NamingApi) =>
    partialService(InventoryService, {
      getItem: async (request) => ({
        item: { sku: request.sku, name: api.nameOf(request.sku), onHand: 0n, available: 0n },
      }),
    }),
  httpRoutes: (http, api: NamingApi) => {
    http.route(
      defineRoute<{ Params: { sku: string }; Reply: { name: string } }>({
        method: "GET",
        url: "/v1/names/:sku",
        operationId: "nameOf",
        public: true,
        schema: {
          params: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } },
          response: { 200: { type: "object", required: ["name"], properties: { name: { type: "string" } } } },
        },
        handler: async (request) => ({ name: api.nameOf(request.params.sku) }),
      }),
    );
  },
});

describe("serviceMain serves", () => {
  it("when compose returns an api, then gRPC and HTTP both answer through that api", async () => {
    const main = serviceMain({
      loadConfig: () => fixtureConfig(),
      apiDescription: "A fixture.",
      serves: served,
      compose: () => ({ tasks: [], api: { nameOf: (sku: string) => `item ${sku}` } }),
    });

    const service = stopWhenFinished(await main());
    const { httpPort, grpcPort } = service.addresses;
    const overHttp = await (await fetch(`http://127.0.0.1:${httpPort}/v1/names/MUG-1`)).json();
    const overGrpc = await testClient(InventoryService, `127.0.0.1:${grpcPort}`).getItem({ sku: "MUG-1" });

    expect(overHttp).toEqual({ name: "item MUG-1" });
    expect(overGrpc.item?.name).toBe("item MUG-1");
  });

  it("when compose returns no api to serve, then the start fails naming the service", async () => {
    const main = serviceMain({
      loadConfig: () => fixtureConfig(),
      apiDescription: "A fixture.",
      serves: served,
      compose: () => ({ tasks: [] }),
    });

    await expect(main()).rejects.toThrow("compose returned no api to serve");
  });
});
