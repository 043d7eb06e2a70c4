import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSigningKey, jwksOf, type SigningKey, signToken } from "@orderly/kit/auth";

export const TEST_ISSUER = "https://auth.test.orderly";
export const TEST_AUDIENCE = "orderly-test";

export interface TokenRequest {
  sub: string;
  /** Space separated or a list; default none. */
  scope?: string | readonly string[];
  /** Seconds until expiry (negative: already expired). Default 3600. */
  ttlSeconds?: number;
  /** Default the current signing key (see rotate). */
  key?: SigningKey;
  /** Default TEST_ISSUER / TEST_AUDIENCE. */
  issuer?: string;
  audience?: string;
}

export interface TestAuth {
  /** The env a service needs to verify this helper's tokens: AUTH_JWKS_FILE, AUTH_ISSUER, AUTH_AUDIENCE. */
  readonly env: Readonly<Record<string, string>>;
  readonly jwksFile: string;
  /** The key tokens are signed with now. */
  readonly key: SigningKey;
  /** The keys the JWKS file publishes now. */
  readonly published: readonly SigningKey[];
  token(request: TokenRequest): Promise<string>;
  /** `Bearer <token>`, ready for an Authorization header or metadata. */
  bearer(request: TokenRequest): Promise<string>;
  /** A key that is not in the JWKS: what a forger would sign with. */
  foreignKey(): Promise<SigningKey>;
  /** Publishes a new key beside the current ones and signs with it from now on; returns it. */
  rotate(): Promise<SigningKey>;
  /** Rewrites the JWKS with only these keys (a rotation's last step removes the old one). */
  publish(keys: readonly SigningKey[]): void;
  /** Deletes the JWKS directory. */
  remove(): void;
}

/**
 * A signing key pair, a JWKS file holding its public half, and tokens signed by it: what a test
 * needs to run a service with authentication on, as an identity provider would.
 */
export async function createTestAuth(): Promise<TestAuth> {
  const dir = mkdtempSync(join(tmpdir(), "orderly-auth-"));
  const jwksFile = join(dir, "jwks.json");
  let key = await createSigningKey();
  let published: SigningKey[] = [key];
  const publish = (keys: readonly SigningKey[]) => {
    published = [...keys];
    writeFileSync(jwksFile, jwksOf(published));
  };
  publish(published);
  const token = (request: TokenRequest) =>
    signToken(request.key ?? key, {
      subject: request.sub,
      scopes:
        typeof request.scope === "string"
          ? request.scope.split(" ").filter(Boolean)
          : [...(request.scope ?? [])],
      issuer: request.issuer ?? TEST_ISSUER,
      audience: request.audience ?? TEST_AUDIENCE,
      ...(request.ttlSeconds === undefined ? {} : { ttlSeconds: request.ttlSeconds }),
    });
  return {
    env: {
      AUTH_DISABLED: "false",
      AUTH_JWKS_FILE: jwksFile,
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
    },
    jwksFile,
    get key() {
      return key;
    },
    get published() {
      return published;
    },
    token,
    bearer: async (request) => `Bearer ${await token(request)}`,
    foreignKey: () => createSigningKey(),
    async rotate() {
      key = await createSigningKey();
      publish([...published, key]);
      return key;
    },
    publish,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
