/**
 * EXPERIMENT, not used by `pnpm bench`: the kit's production telemetry entry
 * (packages/kit/src/tracing/register.ts + create-instrumentations.ts) with one change, to measure a
 * proposed kit fix without editing the kit: the http instrumentation is built with
 * `disableIncomingRequestInstrumentation: true`. @fastify/otel already starts the request span and
 * extracts the W3C context itself when no span is active, so traces keep a server span and their
 * parent; what goes is the second span per traced request, and the per-request emitter binding
 * (context.bind on request and response) that the http instrumentation does even for the probes
 * it ignores.
 *
 *   node src/run.ts --full --only=health --kit-import=./src/experiments/register-no-incoming-http.ts
 *
 * The instrumentations come from the kit's node_modules (bench does not depend on them), through
 * their CommonJS entry; the OpenTelemetry API is a process-wide singleton, so they meet the ESM SDK
 * the kit starts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { registerModuleHooks } from "../../../packages/kit/src/tracing/module-hooks.ts";
import { packageIdentity } from "../../../packages/kit/src/tracing/package-identity.ts";
import { startTelemetry, type TelemetryOptions } from "../../../packages/kit/src/tracing/start-telemetry.ts";
import {
  isUntracedFastifyRoute,
  isUntracedHttpPath,
  UNTRACED_GRPC_METHODS,
} from "../../../packages/kit/src/tracing/untraced-requests.ts";

type Instrumentation = TelemetryOptions["instrumentations"][number];
type Constructor = new (config: object) => Instrumentation;

const kitRequire = createRequire(join(import.meta.dirname, "../../../packages/kit/package.json"));
const load = (module: string, name: string) =>
  (kitRequire(module) as Record<string, Constructor>)[name] as Constructor;

const instrumentations: Instrumentation[] = [
  new (load("@opentelemetry/instrumentation-http", "HttpInstrumentation"))({
    disableIncomingRequestInstrumentation: true,
    ignoreIncomingRequestHook: (request: { url?: string }) => isUntracedHttpPath(request.url ?? ""),
    requireParentforOutgoingSpans: true,
  }),
  new (load("@fastify/otel", "FastifyOtelInstrumentation"))({
    registerOnInitialization: true,
    ignorePaths: isUntracedFastifyRoute,
  }),
  new (load("@opentelemetry/instrumentation-grpc", "GrpcInstrumentation"))({
    ignoreGrpcMethods: [...UNTRACED_GRPC_METHODS],
  }),
  new (load("@opentelemetry/instrumentation-pg", "PgInstrumentation"))({
    requireParentSpan: true,
    enhancedDatabaseReporting: false,
  }),
];
registerModuleHooks(instrumentations);
startTelemetry({
  spans: [],
  instrumentations,
  defaultAttributes: packageIdentity(readFileSync(join(process.cwd(), "package.json"), "utf8")),
});
