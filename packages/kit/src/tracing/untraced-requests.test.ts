import { describe, expect, it } from "vitest";
import { isUntracedFastifyRoute, isUntracedHttpPath } from "./untraced-requests.ts";

describe("untraced requests", () => {
  it("when a probe or scrape path arrives, with or without a query, then it is not traced", () => {
    for (const target of ["/health", "/health/live", "/health/ready?verbose=1", "/metrics"]) {
      expect(isUntracedHttpPath(target)).toBe(true);
    }
  });

  it("when a domain path arrives, even one that starts like a probe, then it is traced", () => {
    for (const target of ["/v1/orders", "/healthz", "/health/live/extra", "/v1/metrics"]) {
      expect(isUntracedHttpPath(target)).toBe(false);
    }
  });

  it("when a fastify route is marked telemetry: false, then it is not traced whatever its path", () => {
    expect(isUntracedFastifyRoute({ url: "/openapi.json", config: { telemetry: false } })).toBe(true);
    expect(isUntracedFastifyRoute({ url: "/v1/orders", config: {} })).toBe(false);
    expect(isUntracedFastifyRoute({ url: "/metrics" })).toBe(true);
  });
});
