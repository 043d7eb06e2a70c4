import { describe, expect, it } from "vitest";
import { variablesNamedBy } from "./config-error.test-support.ts";
import { loadServiceConfig } from "./service-config.ts";

const spec = { name: "order", version: "1.0.0", defaultHttpPort: 8080, defaultGrpcPort: 50051 };
const admission = (env: Record<string, string>) =>
  loadServiceConfig(spec, { AUTH_DISABLED: "true", ...env }).load.admission;

describe("admission config", () => {
  it("when nothing is set, then the limits are what they always were: HTTP none, gRPC a static 1000", () => {
    expect(admission({})).toEqual({ http: { mode: "off" }, grpc: { mode: "static", limit: 1000 } });
  });

  it("when LOAD_ADMISSION=adaptive, then both transports are adaptive between the floor (4) and 1000", () => {
    expect(admission({ LOAD_ADMISSION: "adaptive" })).toEqual({
      http: { mode: "adaptive", minLimit: 4, maxLimit: 1000 },
      grpc: { mode: "adaptive", minLimit: 4, maxLimit: 1000 },
    });
  });

  it("when the static limits are set with LOAD_ADMISSION=adaptive, then they cap the adaptive limit", () => {
    expect(
      admission({
        LOAD_ADMISSION: "adaptive",
        LOAD_MAX_IN_FLIGHT: "8",
        LOAD_MAX_GRPC_IN_FLIGHT: "2",
        LOAD_ADMISSION_MIN_LIMIT: "3",
      }),
    ).toEqual({
      http: { mode: "adaptive", minLimit: 3, maxLimit: 8 },
      // The floor never exceeds the cap.
      grpc: { mode: "adaptive", minLimit: 2, maxLimit: 2 },
    });
  });

  it("when LOAD_ADMISSION=static, then the static limits apply (0 = no limit)", () => {
    expect(admission({ LOAD_ADMISSION: "static", LOAD_MAX_IN_FLIGHT: "8" })).toEqual({
      http: { mode: "static", limit: 8 },
      grpc: { mode: "static", limit: 1000 },
    });
    expect(admission({ LOAD_ADMISSION: "static", LOAD_MAX_GRPC_IN_FLIGHT: "0" })).toEqual({
      http: { mode: "off" },
      grpc: { mode: "off" },
    });
  });

  it("when LOAD_ADMISSION=off, then neither transport is limited, whatever the caps say", () => {
    expect(admission({ LOAD_ADMISSION: "off", LOAD_MAX_IN_FLIGHT: "8" })).toEqual({
      http: { mode: "off" },
      grpc: { mode: "off" },
    });
  });

  it("when the variables are malformed, then the service config names each of them", () => {
    const named = variablesNamedBy(() =>
      admission({ LOAD_ADMISSION: "fast", LOAD_ADMISSION_MIN_LIMIT: "0", LOAD_MAX_IN_FLIGHT: "-1" }),
    );
    expect(named.sort()).toEqual(["LOAD_ADMISSION", "LOAD_ADMISSION_MIN_LIMIT", "LOAD_MAX_IN_FLIGHT"]);
  });
});
