import * as grpc from "@grpc/grpc-js";
import { AppError, Code, codeName, isAppError, isCode, toAppError } from "../errors/index.ts";
import type { Logger } from "../log/index.ts";
import { decodeRichStatus, encodeRichStatus, type RichStatus, STATUS_DETAILS_KEY } from "./rich-status.ts";

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
 * The one place an error becomes a gRPC status. AppErrors keep code, message, reason and details,
 * sent as the standard google.rpc.Status in `grpc-status-details-bin` (ErrorInfo with the reason,
 * BadRequest for field violations, RetryInfo when the error says when to retry);
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
  // An AppError with code OK is a programming error; OK would tell the caller it succeeded.
  const code = (app.code === Code.OK ? Code.UNKNOWN : app.code) as number as grpc.status;
  const metadata = new grpc.Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeRichStatus(app, code));
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
  const rich = richStatusOf(error);
  return new AppError({
    code,
    reason: rich?.reason ?? transportReason(code),
    message: error.details || codeName(code).toLowerCase().replaceAll("_", " "),
    ...(rich ? { details: rich.details } : {}),
    ...(rich?.retryAfterMs !== undefined ? { retryAfterMs: rich.retryAfterMs } : {}),
    cause: error,
  });
}

function transportReason(code: Code): string {
  return code === Code.UNAVAILABLE ? TransportReason.PEER_UNAVAILABLE : codeName(code);
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number";
}

/** The google.rpc.Status a failed call carried, if any (a transport failure carries none). */
export function richStatusOf(error: grpc.ServiceError): RichStatus | undefined {
  const metadata = error.metadata instanceof grpc.Metadata ? error.metadata : undefined;
  const bytes = metadata?.get(STATUS_DETAILS_KEY)[0];
  // A peer sending unreadable details still sent a usable code and message.
  return Buffer.isBuffer(bytes) && bytes.length > 0 ? decodeRichStatus(bytes) : undefined;
}
