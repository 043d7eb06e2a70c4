import * as grpc from "@grpc/grpc-js";
import {
  AppError,
  Code,
  codeName,
  type ErrorDetails,
  isAppError,
  isCode,
  toAppError,
} from "../errors/index.ts";
import type { Logger } from "../log/index.ts";

/** Trailer carrying AppError.reason (UPPER_SNAKE). */
export const ERROR_REASON_KEY = "orderly-error-reason";
/** Trailer carrying AppError.details as JSON bytes (`-bin`: grpc-js base64-encodes it on the wire). */
export const ERROR_DETAILS_KEY = "orderly-error-details-bin";

/** Reasons the transport itself produces, when no peer gave one. */
export const TransportReason = {
  /** No connection to any instance of the peer (refused, unresolvable, every address down). */
  PEER_UNAVAILABLE: "PEER_UNAVAILABLE",
  /** The client's circuit breaker for the peer is open: failed fast, nothing was sent. */
  CIRCUIT_OPEN: "CIRCUIT_OPEN",
  /** The server is draining and ended a long-lived stream so the caller reconnects elsewhere. */
  SERVER_DRAINING: "SERVER_DRAINING",
} as const;

export interface GrpcStatus {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

/**
 * The one place an error becomes a gRPC status. AppErrors keep code, message, reason and details;
 * anything else becomes INTERNAL "internal error" and, when a logger is given, its cause is logged
 * (the message never reaches the wire: it may hold SQL, paths or personal data).
 */
export function toGrpcStatus(error: unknown, log?: Logger): GrpcStatus {
  const app = toAppError(error);
  if (log && !isAppError(error)) log.error({ err: error }, "unhandled error mapped to INTERNAL");
  return appErrorToStatus(app);
}

/** toGrpcStatus for a value already known to be an AppError (the server's hot path). */
export function appErrorToStatus(app: AppError): GrpcStatus {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_REASON_KEY, app.reason);
  if (Object.keys(app.details).length > 0) metadata.set(ERROR_DETAILS_KEY, encodeDetails(app.details));
  // An AppError with code OK is a programming error; OK would tell the caller it succeeded.
  const code = (app.code === Code.OK ? Code.UNKNOWN : app.code) as number as grpc.status;
  return { code, details: app.message, metadata };
}

/**
 * The one place the wire becomes an AppError again: code, reason, message and details as the peer
 * sent them; transport failures get a transport reason (PEER_UNAVAILABLE, DEADLINE_EXCEEDED…).
 */
export function fromGrpcError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (!isServiceError(error)) return toAppError(error);
  const code: Code = isCode(error.code) ? error.code : Code.UNKNOWN;
  const metadata = error.metadata instanceof grpc.Metadata ? error.metadata : undefined;
  const sentReason = metadata?.get(ERROR_REASON_KEY)[0];
  const reason = typeof sentReason === "string" && sentReason !== "" ? sentReason : transportReason(code);
  const details = metadata ? decodeDetails(metadata.get(ERROR_DETAILS_KEY)[0]) : undefined;
  return new AppError({
    code,
    reason,
    message: error.details || codeName(code).toLowerCase().replaceAll("_", " "),
    ...(details ? { details } : {}),
    cause: error,
  });
}

function transportReason(code: Code): string {
  return code === Code.UNAVAILABLE ? TransportReason.PEER_UNAVAILABLE : codeName(code);
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number";
}

function encodeDetails(details: ErrorDetails): Buffer {
  // Details are domain data; bigint (int64 fields) is common and JSON cannot carry it natively.
  return Buffer.from(
    JSON.stringify(details, (_key, value) => (typeof value === "bigint" ? String(value) : value)),
  );
}

function decodeDetails(value: grpc.MetadataValue | undefined): ErrorDetails | undefined {
  if (!Buffer.isBuffer(value) || value.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as ErrorDetails)
      : undefined;
  } catch {
    // A peer sending unreadable details still sent a usable code, reason and message.
    return undefined;
  }
}
