/**
 * The file every service starts with: `node --import @orderly/kit/tracing/register src/main.ts`.
 * It starts OpenTelemetry before any application module loads, configured only by the SDK's own
 * standard variables (this is the one place outside config that reads them):
 *
 * - `OTEL_SDK_DISABLED=true`: nothing is loaded or patched.
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_TRACES_EXPORTER`:
 *   spans are exported as they say (protocol from `OTEL_EXPORTER_OTLP_PROTOCOL`, default
 *   http/protobuf). None of them set (a laptop): nothing is exported and nothing tries to connect,
 *   but spans still get ids, so log lines carry `trace_id` and traceparent still crosses services.
 * - `SERVICE_VERSION` (also read by the kit config): the resource's `service.version`, over the
 *   package.json version; OTEL_RESOURCE_ATTRIBUTES still wins.
 * - `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_PROPAGATORS` (default W3C tracecontext
 *   and baggage), `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` (for example
 *   `parentbased_traceidratio` and `0.1`: a tenth of new traces recorded, callers' decisions
 *   followed), `OTEL_BSP_*`, `OTEL_LOG_LEVEL`: as the SDK defines them. Without a sampler set and
 *   without an exporter, nothing is recorded (spans still get ids for logs and propagation).
 *
 * The application flushes on shutdown with `shutdownTelemetry()` from `@orderly/kit/tracing`.
 */
import { readFileSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { telemetrySettingsFrom } from "./telemetry-settings.ts";

// Node's on-disk compile cache (V8 code and stripped TypeScript) for every module loaded after
// this one: a restart skips most of the parse and compile work, which dominates start-up. The
// package's entry (register.mjs) has already turned it on before this file was stripped; this call
// covers a process that imports register.ts directly (the tests' fixtures) and is a no-op otherwise.
enableCompileCache();

const settings = telemetrySettingsFrom(process.env);

// Everything heavy is imported lazily, so a disabled SDK costs one tiny module.
if (settings.enabled) {
  const [{ diag, DiagConsoleLogger, DiagLogLevel }, { createInstrumentations }, { registerModuleHooks }] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("./create-instrumentations.ts"),
      import("./module-hooks.ts"),
    ]);
  // An operator who names a collector wants to hear when it is unreachable (and when a module was
  // loaded too early to patch); the SDK is silent unless OTEL_LOG_LEVEL is set, and then installs
  // its own logger.
  if (settings.exportTraces && settings.diagnosticsLevel === undefined) {
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  }
  // The instrumentations first: the ESM hook intercepts exactly the modules they patch. Both are
  // in place before the application's first import, which is all the ordering that matters.
  const instrumentations = createInstrumentations();
  registerModuleHooks(instrumentations);
  if (settings.localOnly) {
    // Nothing leaves the process: ids and propagation only, without loading NodeSDK.
    const { startLocalTracing } = await import("./start-local-tracing.ts");
    startLocalTracing(instrumentations);
  } else {
    const [{ packageIdentity }, { startTelemetry }] = await Promise.all([
      import("./package-identity.ts"),
      import("./start-telemetry.ts"),
    ]);
    startTelemetry({
      spans: settings.exportTraces ? "environment" : [],
      samplerFromEnvironment: settings.samplerFromEnvironment,
      instrumentations,
      defaultAttributes: {
        ...packageIdentity(readPackageJson()),
        // The version a canary deployment gives itself, as its metrics and Consul meta carry it.
        ...(settings.serviceVersion ? { "service.version": settings.serviceVersion } : {}),
      },
    });
  }
}

function readPackageJson(): string | undefined {
  try {
    return readFileSync(join(process.cwd(), "package.json"), "utf8");
  } catch {
    return undefined;
  }
}
