import type { z } from "zod";
import { ConfigError } from "./config-error.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables against a zod object schema whose keys are the variable names.
 * Empty strings count as unset, so `FOO=` falls back to the default like a missing variable.
 * Returns a deeply frozen value; throws ConfigError naming every variable at fault.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): Readonly<z.output<S>> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(config)"),
        expected: issue.message,
      })),
    );
  }
  return deepFreeze(result.data);
}

/** Freezes `value` and every object inside it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
