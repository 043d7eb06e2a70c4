/**
 * The embedded default's identity provider, in miniature: one ES256 signing key under
 * `<ORDERLY_DATA_DIR>/auth/` (created once, kept across restarts), the JWKS the services verify
 * tokens with, and tokens signed by it. `pnpm start` and `pnpm run token` share it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createSigningKey, jwksOf, type SigningKey, signToken } from "@orderly/kit/auth";

export const DEV_ISSUER = "orderly-dev";
export const DEV_AUDIENCE = "orderly";

export interface DevAuth {
  readonly key: SigningKey;
  readonly jwksFile: string;
  /** What each service needs to verify the dev tokens. */
  readonly env: Readonly<Record<string, string>>;
}

const paths = (dataDir: string) => {
  const dir = join(dataDir, "auth");
  return { dir, key: join(dir, "signing-key.json"), jwks: join(dir, "jwks.json") };
};

/** The dev signing key, created (with its JWKS) when absent. */
export async function ensureDevAuth(dataDir: string): Promise<DevAuth> {
  const files = paths(dataDir);
  let key: SigningKey;
  if (existsSync(files.key)) {
    key = JSON.parse(readFileSync(files.key, "utf8")) as SigningKey;
  } else {
    mkdirSync(files.dir, { recursive: true });
    key = await createSigningKey(`orderly-dev-${Date.now().toString(36)}`);
    // The private key: readable by its owner only.
    writeFileSync(files.key, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    chmodSync(files.key, 0o600);
  }
  // Rewritten every time, so a JWKS deleted by hand comes back from the key.
  writeFileSync(files.jwks, jwksOf([key]));
  return {
    key,
    jwksFile: files.jwks,
    env: { AUTH_JWKS_FILE: files.jwks, AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE },
  };
}

/** A token signed by the dev key. */
export function devToken(
  auth: DevAuth,
  claims: { sub: string; scopes: readonly string[]; ttlSeconds?: number },
): Promise<string> {
  return signToken(auth.key, {
    subject: claims.sub,
    scopes: claims.scopes,
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    ...(claims.ttlSeconds === undefined ? {} : { ttlSeconds: claims.ttlSeconds }),
  });
}

/** The scopes of the token the launcher leaves for the CLI: a demo customer who is also the operator. */
const CLI_SCOPES = [
  "orders:read",
  "orders:write",
  "inventory:read",
  "invoices:read",
  "shipments:write",
  "admin",
];
const DAY_SECONDS = 24 * 3600;

export interface LauncherAuth {
  /** AUTH_* for every service, or AUTH_DISABLED=true when the user asked for it. */
  readonly env: Readonly<Record<string, string>>;
  /** `Bearer …` with `admin`, for the launcher's own calls (seeding the catalogue). */
  readonly adminAuthorization: string | undefined;
  /** A demo-customer token with orders:read orders:write, for the printed curl lines. */
  readonly customerToken: string | undefined;
}

/**
 * What `pnpm start` does about tokens: the dev key (created when absent), the services' AUTH_*
 * variables, and `<dataDir>/token` for `pnpm orderly` (which reads it). With AUTH_DISABLED=true in
 * the launcher's environment nothing is created and the services run without the gate.
 */
export async function launcherAuth(dataDir: string, disabled: boolean): Promise<LauncherAuth> {
  if (disabled)
    return { env: { AUTH_DISABLED: "true" }, adminAuthorization: undefined, customerToken: undefined };
  const auth = await ensureDevAuth(dataDir);
  const admin = await devToken(auth, { sub: "orderly-launcher", scopes: ["admin"], ttlSeconds: 600 });
  const cli = await devToken(auth, {
    sub: "demo-customer",
    scopes: CLI_SCOPES,
    ttlSeconds: 30 * DAY_SECONDS,
  });
  writeFileSync(join(dataDir, "token"), `${cli}\n`, { mode: 0o600 });
  const customerToken = await devToken(auth, {
    sub: "demo-customer",
    scopes: ["orders:read", "orders:write", "invoices:read"],
    ttlSeconds: DAY_SECONDS,
  });
  return { env: auth.env, adminAuthorization: `Bearer ${admin}`, customerToken };
}
