import { AppError, Code } from "../errors/index.ts";

/** Why a request was not let through; the `reason` of the UNAUTHENTICATED / PERMISSION_DENIED error. */
export const AuthReason = {
  TOKEN_MISSING: "TOKEN_MISSING",
  TOKEN_INVALID: "TOKEN_INVALID",
  TOKEN_EXPIRED: "TOKEN_EXPIRED",
  SCOPE_MISSING: "SCOPE_MISSING",
  CUSTOMER_MISMATCH: "CUSTOMER_MISMATCH",
} as const;

export type AuthReason = (typeof AuthReason)[keyof typeof AuthReason];

/** 401 / UNAUTHENTICATED: no credentials, or credentials we do not believe. */
export function unauthenticated(reason: AuthReason, message: string, cause?: unknown): AppError {
  return new AppError({ code: Code.UNAUTHENTICATED, reason, message, cause });
}

/** 403 / PERMISSION_DENIED: a believed caller asking for more than its token allows. */
export function permissionDenied(
  reason: AuthReason,
  message: string,
  details?: Record<string, unknown>,
): AppError {
  return new AppError({ code: Code.PERMISSION_DENIED, reason, message, ...(details ? { details } : {}) });
}

export function scopeMissing(scope: string): AppError {
  return permissionDenied(AuthReason.SCOPE_MISSING, `this call needs a token with the scope "${scope}"`, {
    scope,
  });
}

/**
 * RFC 6750 §3: the challenge a 401 carries. A request without credentials gets the bare scheme; a
 * token that failed gets `error="invalid_token"` so clients know to fetch a new one.
 */
export function bearerChallenge(error: AppError): string | undefined {
  if (error.code !== Code.UNAUTHENTICATED) return undefined;
  if (error.reason === AuthReason.TOKEN_INVALID || error.reason === AuthReason.TOKEN_EXPIRED) {
    return 'Bearer error="invalid_token"';
  }
  return "Bearer";
}
