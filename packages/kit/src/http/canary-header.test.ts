import { describe, expect, it } from "vitest";
import { isCanaryFlagged } from "../grpc/canary-context.ts";
import { defineRoute } from "./define-route.ts";
import { testServer } from "./http.test-support.ts";

describe("the x-orderly-canary request header", () => {
  it("when a request carries x-orderly-canary: 1, then the work it does is flagged for canary routing", async () => {
    const { app } = testServer();
    app.route(
      defineRoute<{ Reply: { flagged: boolean } }>({
        method: "GET",
        url: "/v1/probe",
        operationId: "probe",
        public: true,
        schema: {
          response: {
            200: { type: "object", properties: { flagged: { type: "boolean" } }, required: ["flagged"] },
          },
        },
        handler: async () => {
          // After an await, as a handler's outgoing gRPC call would run.
          await new Promise((resolve) => setImmediate(resolve));
          return { flagged: isCanaryFlagged(undefined) };
        },
      }),
    );

    const flagged = await app.inject({ url: "/v1/probe", headers: { "x-orderly-canary": "1" } });
    const other = await app.inject({ url: "/v1/probe", headers: { "x-orderly-canary": "yes" } });
    const plain = await app.inject({ url: "/v1/probe" });

    expect(flagged.json()).toEqual({ flagged: true });
    expect(other.json()).toEqual({ flagged: false });
    expect(plain.json()).toEqual({ flagged: false });
  });
});
