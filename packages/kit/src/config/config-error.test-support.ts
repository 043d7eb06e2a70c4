// Test-only: what the config tests assert of a failed load, the ConfigError and the variables it names.
import { ConfigError } from "./config-error.ts";

/** The ConfigError `load` throws; anything else thrown propagates, and not throwing fails the test. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** The variables named by the ConfigError `load` throws, in the error's order. */
export function variablesNamedBy(load: () => unknown): string[] {
  return configErrorOf(load).issues.map((issue) => issue.variable);
}
