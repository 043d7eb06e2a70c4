import { register } from "node:module";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { register as registerSyncHooks, supportsSyncHooks } from "import-in-the-middle/register-hooks.mjs";

/**
 * Lets the instrumentations patch ES modules. Without it http, fastify and pg still trace (they
 * are reached through require or diagnostics channels) but grpc-js gets no spans and sends no
 * traceparent. Must run before the application is imported, hence from the `--import` entry.
 *
 * Only the modules the instrumentations hook are intercepted (`@grpc/grpc-js`, `pg`, `http`…),
 * not every module the application imports: wrapping each one is most of the SDK's start-up cost.
 * The in-thread hooks (Node >= 24.11.1) also avoid the loader thread's per-module round trip.
 */
export function registerModuleHooks(instrumentations: readonly Instrumentation[]): void {
  const include = hookedModules(instrumentations);
  if (supportsSyncHooks()) registerSyncHooks({ include });
  else register("@opentelemetry/instrumentation/hook.mjs", import.meta.url, { data: { include } });
}

/** The module names the instrumentations patch, e.g. `@grpc/grpc-js`; builtins gain `node:` twins. */
export function hookedModules(instrumentations: readonly Instrumentation[]): string[] {
  const names = instrumentations.flatMap((instrumentation) =>
    hasModuleDefinitions(instrumentation)
      ? instrumentation.getModuleDefinitions().map((module) => module.name)
      : [],
  );
  return [...new Set(names)];
}

function hasModuleDefinitions(
  instrumentation: Instrumentation,
): instrumentation is Instrumentation & { getModuleDefinitions(): { name: string }[] } {
  return typeof (instrumentation as { getModuleDefinitions?: unknown }).getModuleDefinitions === "function";
}
