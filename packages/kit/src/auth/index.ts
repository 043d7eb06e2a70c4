export { type AuthConfig, type KeySource, parseAuthConfig } from "./auth-config.ts";
export {
  AuthReason,
  bearerChallenge,
  permissionDenied,
  scopeMissing,
  unauthenticated,
} from "./auth-errors.ts";
export {
  type CallLimiter,
  RATE_LIMITED_REASON,
  type RateLimitCaller,
  rateLimitedError,
  rateLimitKey,
} from "./call-limiter.ts";
export {
  type DevCertificateFiles,
  type WriteDevCertificatesOptions,
  writeDevCertificates,
} from "./dev-certificate-files.ts";
export { createDevCa, type DevCa, type IssueOptions, loadDevCa, type PemPair } from "./dev-certificates.ts";
export { type FileKeySetOptions, fileKeySet } from "./file-key-set.ts";
export { ownerFilter } from "./owner-filter.ts";
export type { Principal } from "./principal.ts";
export { hasScope, mayActFor } from "./principal.ts";
export type { Scope } from "./scopes.ts";
export { isScope, SCOPES } from "./scopes.ts";
export {
  createSigningKey,
  jwksOf,
  SIGNING_ALGORITHM,
  type SigningKey,
  signToken,
  type TokenClaims,
} from "./signing-key.ts";
export {
  AUTH_DISABLED_PRINCIPAL,
  type Authenticator,
  bearerToken,
  createAuthenticator,
  type VerifierOptions,
} from "./token-verifier.ts";
