import { randomUUID } from "node:crypto";
import type { JWK } from "jose";
import { jose } from "./jose-module.ts";

/** An ES256 key pair as JWKs; the public half goes into a JWKS, the private half signs tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export const SIGNING_ALGORITHM = "ES256";

export async function createSigningKey(kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await jose().generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const privateJwk = { ...(await jose().exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM, use: "sig" };
  const publicJwk = { ...(await jose().exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: "sig" };
  return { kid, privateJwk, publicJwk };
}

export interface TokenClaims {
  subject: string;
  scopes: readonly string[];
  issuer: string;
  audience: string;
  /** Lifetime in seconds; default 3600. Negative gives an already expired token (tests). */
  ttlSeconds?: number;
}

/** A JWT signed with `key`, as an identity provider would issue it (dev tooling and tests). */
export async function signToken(
  key: Pick<SigningKey, "kid" | "privateJwk">,
  claims: TokenClaims,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const ttl = claims.ttlSeconds ?? 3600;
  return new (jose().SignJWT)({ scope: claims.scopes.join(" ") })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: "JWT" })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(Math.min(now, now + ttl))
    .setExpirationTime(now + ttl)
    .sign(await jose().importJWK(key.privateJwk, SIGNING_ALGORITHM));
}

/** The JSON of a JWKS holding the public halves of `keys`. */
export function jwksOf(keys: readonly Pick<SigningKey, "publicJwk">[]): string {
  return `${JSON.stringify({ keys: keys.map((k) => k.publicJwk) }, null, 2)}\n`;
}
