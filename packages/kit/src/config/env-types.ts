import { z } from "zod";

/**
 * Reusable env-var parsers with messages that say what was expected. A message given to the schema
 * answers for each of its checks that names none: stated once per type, it covers every way the
 * value can be wrong (not a number, out of range).
 */
export const envTypes = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: "expected a port number (0-65535)" })
      .int({ error: "expected a whole port number (0-65535)" })
      .min(0)
      .max(65535)
      .default(fallback),

  positiveInt: (fallback: number) =>
    z.coerce.number({ error: "expected a positive whole number" }).int().positive().default(fallback),

  nonNegativeInt: (fallback: number) =>
    z.coerce.number({ error: "expected a whole number >= 0" }).int().min(0).default(fallback),

  /** A whole number of either sign (an offset). */
  integer: (fallback: number) =>
    z.coerce.number({ error: "expected a whole number" }).int().default(fallback),

  flag: (fallback: boolean) =>
    z
      .enum(["1", "0", "true", "false", "yes", "no"], { error: "expected 1/0, true/false or yes/no" })
      .transform((v) => v === "1" || v === "true" || v === "yes")
      .default(fallback),

  logLevel: () =>
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),

  /** `postgres://…`/`postgresql://…` or `pglite:<dir>` (`pglite:memory` for an in-memory database). */
  databaseUrl: (fallback: string) =>
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) || /^pglite:.+/.test(v), {
        error: "expected postgres://user@host:port/db or pglite:<directory>",
      })
      .default(fallback),

  /** `host:port` as grpc-js targets accept it; several addresses separated by commas. */
  grpcAddress: () =>
    z
      .string()
      .refine(
        (v) => v.split(",").every((part) => /^(dns:|ipv4:|ipv6:)?[\w.\-[\]:]+:\d{1,5}$/.test(part.trim())),
        {
          error: "expected host:port (several separated by commas)",
        },
      )
      .optional(),

  /** A version tag as Consul meta and metric labels carry it: "1.4.0", "1.5.0-canary.2". */
  version: () =>
    z
      .string()
      .regex(/^[\w.+-]{1,64}$/, { error: "expected a version tag (letters, digits, . _ + -; at most 64)" })
      .optional(),

  /** A fraction of traffic, 0 to 1 ("0.05" = 5 %). */
  share: (fallback: number) =>
    z.coerce
      .number({ error: "expected a fraction between 0 and 1 (0.05 = 5 %)" })
      .min(0)
      .max(1)
      .default(fallback),

  /** Consul's HTTP API address: `host:port` or `http(s)://host:port`. */
  httpAddress: () =>
    z
      .string()
      .refine((v) => /^(https?:\/\/)?[\w.\-[\]]+:\d{1,5}\/?$/.test(v), {
        error: "expected host:port or http://host:port",
      })
      // Test the scheme, not the prefix: a host named "httpd-consul" has none. No trailing slash.
      .transform((v) => (/^https?:\/\//.test(v) ? v : `http://${v}`).replace(/\/$/, ""))
      .optional(),
} as const;
