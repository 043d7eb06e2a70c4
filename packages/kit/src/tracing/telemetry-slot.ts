/**
 * The one process-wide reference to the running SDK. The `--import` entry and the application can
 * load this kit as separate module instances (a different path, a bundled copy), so a module
 * variable would not be shared; a registered symbol on globalThis is.
 */
const TELEMETRY_SLOT = Symbol.for("orderly.telemetry");

export interface RunningTelemetry {
  /** Flushes pending spans, then stops the SDK and unregisters it from the OpenTelemetry API. */
  shutdown(): Promise<void>;
}

type Slot = { [TELEMETRY_SLOT]?: RunningTelemetry | undefined };

export function runningTelemetry(): RunningTelemetry | undefined {
  return (globalThis as Slot)[TELEMETRY_SLOT];
}

export function holdTelemetry(telemetry: RunningTelemetry): void {
  if (runningTelemetry()) {
    throw new Error(
      "telemetry is already running in this process (started by --import @orderly/kit/tracing/register or startTracing)",
    );
  }
  (globalThis as Slot)[TELEMETRY_SLOT] = telemetry;
}

/** Forgets `telemetry` if it is still the one held; a later start may then take the slot. */
export function releaseTelemetry(telemetry: RunningTelemetry): void {
  const slot = globalThis as Slot;
  if (slot[TELEMETRY_SLOT] === telemetry) delete slot[TELEMETRY_SLOT];
}
