import { Code, codeName, isCode } from "./status-code.ts";

export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface AppErrorInit {
  code: Code;
  /** UPPER_SNAKE, listed in the service's proto error-reason enum (without the enum prefix). */
  reason: string;
  message: string;
  details?: ErrorDetails;
  /** How long the caller should wait before trying again (google.rpc.RetryInfo on the gRPC wire). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error model. The domain throws it; exactly one place per transport maps it to the wire
 * (gRPC status + google.rpc.Status details, HTTP problem+json), and clients rebuild it from the wire.
 */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: Code;
  readonly reason: string;
  readonly details: ErrorDetails;
  readonly retryAfterMs: number | undefined;

  constructor(init: AppErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.reason = init.reason;
    this.details = init.details ?? {};
    this.retryAfterMs = init.retryAfterMs;
  }

  get codeName(): string {
    return codeName(this.code);
  }

  toJSON(): Record<string, unknown> {
    return { code: this.codeName, reason: this.reason, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** A field that names what was wrong with one input, as in google.rpc.BadRequest.FieldViolation. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * At most this many violations go on the wire. A request with 10,000 bad lines would otherwise get
 * a 10,000-entry answer: over HTTP/2's header-list limit as gRPC trailers (the client sees a
 * protocol error, not INVALID_ARGUMENT) and megabytes of problem+json. The first ones are enough to
 * fix the request; `omitted_violations` says how many more there were.
 */
export const MAX_REPORTED_VIOLATIONS = 20;

/** INVALID_ARGUMENT naming the offending field(s); the message starts with the first field. */
export function validationError(violations: FieldViolation | readonly FieldViolation[]): AppError {
  const all = Array.isArray(violations) ? [...violations] : [violations as FieldViolation];
  const list = all.slice(0, MAX_REPORTED_VIOLATIONS);
  const omitted = all.length - list.length;
  const message =
    list.map((v) => `${v.field}: ${v.description}`).join("; ") + (omitted > 0 ? `; and ${omitted} more` : "");
  const first = list[0];
  return new AppError({
    code: Code.INVALID_ARGUMENT,
    reason: "VALIDATION_FAILED",
    message,
    details: {
      field: first?.field ?? "",
      violations: list,
      ...(omitted > 0 ? { omitted_violations: omitted } : {}),
    },
  });
}

export function notFound(reason: string, message: string, details?: ErrorDetails): AppError {
  return new AppError({ code: Code.NOT_FOUND, reason, message, ...(details ? { details } : {}) });
}

export function failedPrecondition(reason: string, message: string, details?: ErrorDetails): AppError {
  return new AppError({ code: Code.FAILED_PRECONDITION, reason, message, ...(details ? { details } : {}) });
}

export function unavailable(reason: string, message: string, cause?: unknown): AppError {
  return new AppError({ code: Code.UNAVAILABLE, reason, message, cause });
}

/**
 * Anything thrown becomes an AppError. Unknown errors become INTERNAL with a scrubbed message: the
 * original stays as `cause` for the log, never for the wire.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError({
    code: Code.INTERNAL,
    reason: "INTERNAL",
    message: "internal error",
    cause: error,
  });
}

/** Errors worth retrying later: the peer may answer next time. */
export function isTransient(error: unknown): boolean {
  const code = error instanceof AppError ? error.code : codeOfForeign(error);
  return (
    code === Code.UNAVAILABLE ||
    code === Code.DEADLINE_EXCEEDED ||
    code === Code.RESOURCE_EXHAUSTED ||
    code === Code.ABORTED
  );
}

function codeOfForeign(error: unknown): Code | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    if (isCode(code)) return code;
  }
  return undefined;
}
