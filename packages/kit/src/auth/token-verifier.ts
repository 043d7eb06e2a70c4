import type { JWTPayload, JWTVerifyGetKey } from "jose";
import { AppError, Code } from "../errors/index.ts";
import type { AuthConfig } from "./auth-config.ts";
import { AuthReason, unauthenticated } from "./auth-errors.ts";
import { DEFAULT_FILE_RECHECK_MS, fileKeySet } from "./file-key-set.ts";
import { jose } from "./jose-module.ts";
import type { Principal } from "./principal.ts";
import { isScope, SCOPES, type Scope } from "./scopes.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

export interface VerifierOptions {
  /** AUTH_JWKS_FILE: see FileKeySetOptions.recheckMs. */
  fileRecheckMs?: number;
  /**
   * AUTH_JWKS_URL: jose's cache. An unknown key id refetches the JWKS once `cooldownMs` has passed
   * since the last fetch (default 30 s); keys are refetched after `cacheMaxAgeMs` (default 10 min).
   */
  remote?: { cooldownMs?: number; cacheMaxAgeMs?: number };
  /** Leeway for exp/nbf against clock skew, seconds. Default 5. */
  clockToleranceSeconds?: number;
  /**
   * How long a verified token is taken on trust before its signature is checked again. Default: as
   * long as the key source takes to notice a removed key (AUTH_JWKS_FILE's recheck, 5 s), at most
   * 30 s for AUTH_JWKS_URL; never past the token's expiry. 0 checks every request.
   */
  verifiedTokenCacheMs?: number;
}

const REMOTE_TOKEN_CACHE_MS = 30_000;

/** Turns the `Authorization` header (HTTP) or `authorization` metadata (gRPC) into a principal. */
export interface Authenticator {
  /** False when AUTH_DISABLED=true: every caller is the admin principal. */
  readonly enabled: boolean;
  /** Throws UNAUTHENTICATED (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED). */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/** Who a caller is when authentication is switched off: everything is allowed, as before auth. */
export const AUTH_DISABLED_PRINCIPAL: Principal = Object.freeze({
  subject: "auth-disabled",
  scopes: new Set<Scope>(SCOPES),
});

export function createAuthenticator(config: AuthConfig, options: VerifierOptions = {}): Authenticator {
  if (config.disabled) {
    const principal = AUTH_DISABLED_PRINCIPAL;
    return { enabled: false, authenticate: () => Promise.resolve(principal) };
  }
  const getKey = keySetOf(config, options);
  const verifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ["exp", "sub"],
  };
  const verified = new VerifiedTokens({
    maxAgeMs:
      options.verifiedTokenCacheMs ??
      ("file" in config.keys ? (options.fileRecheckMs ?? DEFAULT_FILE_RECHECK_MS) : REMOTE_TOKEN_CACHE_MS),
  });
  return {
    enabled: true,
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      const known = verified.get(token);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jose().jwtVerify(token, getKey, verifyOptions));
      } catch (error) {
        throw verificationError(error);
      }
      const principal = principalOf(payload);
      // `exp` is required (verifyOptions), so it is a number here.
      verified.remember(token, principal, (payload.exp as number) * 1000);
      return principal;
    },
  };
}

function keySetOf(
  config: Extract<AuthConfig, { disabled: false }>,
  options: VerifierOptions,
): JWTVerifyGetKey {
  if ("file" in config.keys) {
    return fileKeySet(config.keys.file, {
      ...(options.fileRecheckMs === undefined ? {} : { recheckMs: options.fileRecheckMs }),
    });
  }
  return jose().createRemoteJWKSet(new URL(config.keys.url), {
    ...(options.remote?.cooldownMs === undefined ? {} : { cooldownDuration: options.remote.cooldownMs }),
    ...(options.remote?.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: options.remote.cacheMaxAgeMs }),
  });
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an RFC 6750 `Bearer` credential. */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === "") {
    throw unauthenticated(
      AuthReason.TOKEN_MISSING,
      "this call needs an Authorization: Bearer <token> header",
    );
  }
  const match = BEARER.exec(authorization);
  if (!match?.[1]) {
    throw unauthenticated(AuthReason.TOKEN_INVALID, "the Authorization header is not a Bearer token");
  }
  return match[1];
}

function verificationError(error: unknown): AppError {
  if (error instanceof jose().errors.JWTExpired) {
    return unauthenticated(AuthReason.TOKEN_EXPIRED, "the token has expired; get a new one");
  }
  if (error instanceof jose().errors.JWKSTimeout || !(error instanceof jose().errors.JOSEError)) {
    // The key source did not answer: the token may be fine, so this is ours, not the caller's.
    return new AppError({
      code: Code.UNAVAILABLE,
      reason: "AUTH_KEYS_UNAVAILABLE",
      message: "the token's signing keys could not be loaded; try again",
      cause: error,
    });
  }
  if (error instanceof jose().errors.JWTClaimValidationFailed) {
    return unauthenticated(AuthReason.TOKEN_INVALID, `the token's "${error.claim}" claim is not accepted`);
  }
  if (error instanceof jose().errors.JWKSNoMatchingKey) {
    return unauthenticated(AuthReason.TOKEN_INVALID, "the token is signed with an unknown key");
  }
  return unauthenticated(AuthReason.TOKEN_INVALID, "the token could not be verified");
}

/**
 * Scopes come from OAuth's space-separated `scope` claim, or the `scp` array some providers use.
 * Scopes this platform does not know are ignored.
 */
function principalOf(payload: JWTPayload): Principal {
  const subject = payload.sub;
  if (typeof subject !== "string" || subject === "") {
    throw unauthenticated(AuthReason.TOKEN_INVALID, 'the token has no "sub" claim');
  }
  const granted: unknown[] = [];
  if (typeof payload.scope === "string") granted.push(...payload.scope.split(" "));
  if (Array.isArray(payload.scp)) granted.push(...payload.scp);
  else if (typeof payload.scp === "string") granted.push(...payload.scp.split(" "));
  const scopes = new Set<Scope>();
  for (const value of granted) if (typeof value === "string" && isScope(value)) scopes.add(value);
  return { subject, scopes };
}
