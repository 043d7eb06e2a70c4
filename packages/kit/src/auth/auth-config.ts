import { z } from "zod";
import { ConfigError } from "../config/config-error.ts";
import { envTypes } from "../config/env-types.ts";
import { type Env, parseEnv } from "../config/parse-env.ts";

/** Where the keys that sign bearer tokens come from. */
export type KeySource = { readonly url: string } | { readonly file: string };

/**
 * How a service checks bearer tokens, read once with the rest of the service config. Secure by
 * default: without a key source a service does not start, unless auth is switched off on purpose.
 */
export type AuthConfig =
  | { readonly disabled: true }
  | {
      readonly disabled: false;
      readonly keys: KeySource;
      readonly issuer: string;
      readonly audience: string;
    };

const schema = z.object({
  AUTH_DISABLED: envTypes.flag(false),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL of a JWKS" }).optional(),
  AUTH_JWKS_FILE: z.string().optional(),
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
});

const NO_KEYS =
  "set AUTH_JWKS_URL (an OIDC provider's JWKS) or AUTH_JWKS_FILE (a local JWKS file) — or AUTH_DISABLED=true to run without authentication";

/** Parses the AUTH_* variables; throws ConfigError naming the variables at fault. */
export function parseAuthConfig(env: Env): AuthConfig {
  const raw = parseEnv(schema, env);
  if (raw.AUTH_DISABLED) return Object.freeze({ disabled: true });
  const issues: { variable: string; expected: string }[] = [];
  if (raw.AUTH_JWKS_URL === undefined && raw.AUTH_JWKS_FILE === undefined) {
    issues.push({ variable: "AUTH_JWKS_URL", expected: NO_KEYS });
    issues.push({ variable: "AUTH_JWKS_FILE", expected: NO_KEYS });
  }
  if (raw.AUTH_JWKS_URL !== undefined && raw.AUTH_JWKS_FILE !== undefined) {
    issues.push({ variable: "AUTH_JWKS_FILE", expected: "set AUTH_JWKS_URL or AUTH_JWKS_FILE, not both" });
  }
  // Without them any token signed by the same keys (another application of the same provider) passes.
  if (raw.AUTH_ISSUER === undefined)
    issues.push({ variable: "AUTH_ISSUER", expected: "the `iss` every accepted token carries" });
  if (raw.AUTH_AUDIENCE === undefined)
    issues.push({ variable: "AUTH_AUDIENCE", expected: "the `aud` every accepted token carries" });
  if (issues.length > 0) throw new ConfigError(issues);
  return Object.freeze({
    disabled: false,
    keys: Object.freeze(
      raw.AUTH_JWKS_URL !== undefined ? { url: raw.AUTH_JWKS_URL } : { file: raw.AUTH_JWKS_FILE as string },
    ),
    issuer: raw.AUTH_ISSUER as string,
    audience: raw.AUTH_AUDIENCE as string,
  });
}
