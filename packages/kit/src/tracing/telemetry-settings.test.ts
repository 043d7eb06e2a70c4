import { describe, expect, it } from "vitest";
import { telemetrySettingsFrom } from "./telemetry-settings.ts";

describe("telemetrySettingsFrom", () => {
  it("when nothing is set (a laptop), then tracing is on but exports nothing", () => {
    expect(telemetrySettingsFrom({})).toEqual({
      enabled: true,
      exportTraces: false,
      diagnosticsLevel: undefined,
      samplerFromEnvironment: false,
      propagatorsFromEnvironment: false,
      localOnly: true,
      serviceVersion: undefined,
    });
  });

  it("when SERVICE_VERSION is set, then it is the version spans carry", () => {
    expect(telemetrySettingsFrom({ SERVICE_VERSION: "2.0.0-canary.1" }).serviceVersion).toBe(
      "2.0.0-canary.1",
    );
  });

  it("when OTEL_TRACES_SAMPLER is set, then the SDK's sampler from the environment is used, not the kit's", () => {
    const settings = telemetrySettingsFrom({
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    });

    expect(settings.samplerFromEnvironment).toBe(true);
    expect(settings.localOnly).toBe(false);
    expect(telemetrySettingsFrom({ OTEL_TRACES_SAMPLER: " " }).samplerFromEnvironment).toBe(false);
  });

  it("when OTEL_SDK_DISABLED is true in any case, then tracing is off", () => {
    expect(telemetrySettingsFrom({ OTEL_SDK_DISABLED: "TRUE" }).enabled).toBe(false);
    expect(telemetrySettingsFrom({ OTEL_SDK_DISABLED: "false" }).enabled).toBe(true);
  });

  it("when an OTLP endpoint is set, generic or for traces, then spans are exported", () => {
    expect(telemetrySettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).exportTraces).toBe(
      true,
    );
    expect(
      telemetrySettingsFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" }).exportTraces,
    ).toBe(true);
  });

  it("when an exporter is named, then spans are exported, unless it is none", () => {
    expect(telemetrySettingsFrom({ OTEL_TRACES_EXPORTER: "console" }).exportTraces).toBe(true);
    expect(
      telemetrySettingsFrom({ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })
        .exportTraces,
    ).toBe(false);
  });

  it("when spans are exported or propagators are chosen, then the full SDK starts, not local tracing", () => {
    expect(telemetrySettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }).localOnly).toBe(false);
    expect(telemetrySettingsFrom({ OTEL_PROPAGATORS: "b3" }).localOnly).toBe(false);
  });

  it("when a variable is blank, then it counts as unset", () => {
    expect(
      telemetrySettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: " ", OTEL_TRACES_EXPORTER: "" }).exportTraces,
    ).toBe(false);
  });
});
