/**
 * What the `--import` entry should do, decided from the SDK's own standard `OTEL_*` variables.
 * Pure (takes the environment as an argument) so the decision is unit-tested without a process.
 */
export interface TelemetrySettings {
  /** `OTEL_SDK_DISABLED=true`: load nothing, patch nothing. */
  readonly enabled: boolean;
  /**
   * Whether spans leave the process. Only when an exporter or an OTLP endpoint is named: the SDK's
   * own default (OTLP to localhost:4318) would fail on every laptop. Without it spans still get ids,
   * so log lines correlate and W3C context still crosses HTTP and gRPC; nothing is exported.
   */
  readonly exportTraces: boolean;
  /** `OTEL_LOG_LEVEL`, when set; the SDK's diagnostics then follow it. */
  readonly diagnosticsLevel: string | undefined;
  /**
   * `OTEL_TRACES_SAMPLER` is set (e.g. `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1`):
   * the SDK builds that sampler and the kit sets none of its own.
   */
  readonly samplerFromEnvironment: boolean;
  /** `OTEL_PROPAGATORS` is set: the SDK builds those propagators (default: W3C tracecontext, baggage). */
  readonly propagatorsFromEnvironment: boolean;
  /**
   * Nothing exported, no sampler and no propagators chosen: the kit's lean local tracing (ids and
   * propagation, no NodeSDK) does everything the SDK would, at a fraction of the start-up cost.
   */
  readonly localOnly: boolean;
  /** `SERVICE_VERSION` (the kit config's version override): the spans' `service.version` too. */
  readonly serviceVersion: string | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function telemetrySettingsFrom(env: Environment): TelemetrySettings {
  const enabled = value(env, "OTEL_SDK_DISABLED")?.toLowerCase() !== "true";
  const exporters = (value(env, "OTEL_TRACES_EXPORTER") ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  const endpoint =
    value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ?? value(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  const exportTraces = exporters.includes("none") ? false : exporters.length > 0 || endpoint !== undefined;
  const samplerFromEnvironment = value(env, "OTEL_TRACES_SAMPLER") !== undefined;
  const propagatorsFromEnvironment = value(env, "OTEL_PROPAGATORS") !== undefined;
  return {
    enabled,
    exportTraces,
    diagnosticsLevel: value(env, "OTEL_LOG_LEVEL"),
    samplerFromEnvironment,
    propagatorsFromEnvironment,
    localOnly: !exportTraces && !samplerFromEnvironment && !propagatorsFromEnvironment,
    serviceVersion: value(env, "SERVICE_VERSION"),
  };
}

/** Blank counts as unset, as the SDK itself treats it. */
function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}
