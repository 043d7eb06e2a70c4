import { describe, expect, it } from "vitest";
import { variablesNamedBy } from "./config-error.test-support.ts";
import { parseLimitsConfig } from "./limits-config.ts";
import { loadServiceConfig } from "./service-config.ts";

const spec = { name: "order", version: "1.0.0", defaultHttpPort: 8080, defaultGrpcPort: 50051 };

describe("limits config", () => {
  it("when nothing is set, then 600 requests a minute in memory, 1 MiB HTTP bodies and 4 MiB gRPC messages", () => {
    expect(loadServiceConfig(spec, { AUTH_DISABLED: "true" }).limits).toEqual({
      rateLimit: { perMinute: 600, redisUrl: undefined },
      httpBodyLimitBytes: 1024 * 1024,
      grpcMaxMessageBytes: 4 * 1024 * 1024,
    });
  });

  it("when RATE_LIMIT_PER_MINUTE is 0 and REDIS_URL is set, then limits are off and the URL is kept", () => {
    expect(
      parseLimitsConfig({ RATE_LIMIT_PER_MINUTE: "0", REDIS_URL: "redis://127.0.0.1:6379" }).rateLimit,
    ).toEqual({ perMinute: 0, redisUrl: "redis://127.0.0.1:6379" });
  });

  it("when the variables are malformed, then the service config names each of them", () => {
    const named = variablesNamedBy(() =>
      loadServiceConfig(spec, {
        AUTH_DISABLED: "true",
        RATE_LIMIT_PER_MINUTE: "-1",
        REDIS_URL: "127.0.0.1:6379",
        GRPC_MAX_MESSAGE_BYTES: "0",
        HTTP_PORT: "x",
      }),
    );
    expect(named.sort()).toEqual([
      "GRPC_MAX_MESSAGE_BYTES",
      "HTTP_PORT",
      "RATE_LIMIT_PER_MINUTE",
      "REDIS_URL",
    ]);
  });
});
