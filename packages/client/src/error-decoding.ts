import * as grpc from "@grpc/grpc-js";
import { type FieldViolation, OrderlyError, statusName } from "./orderly-error.ts";
import { decodeRpcStatus } from "./rpc-status.ts";

// Orderly's own trailers (packages/kit/src/grpc/error-mapping.ts): the reason, and details as JSON.
const REASON_KEY = "orderly-error-reason";
const DETAILS_KEY = "orderly-error-details-bin";
// The standard rich error model: a serialized google.rpc.Status.
const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/**
 * A grpc-js error as an OrderlyError. Reads both encodings a server may use: google.rpc.Status
 * (ErrorInfo.reason, BadRequest.field_violations) when present, else the orderly-error-* trailers;
 * with neither, the reason is the status name (or PEER_UNAVAILABLE when nothing answered).
 */
export function fromServiceError(error: unknown): OrderlyError {
  if (error instanceof OrderlyError) return error;
  if (!isServiceError(error)) {
    return new OrderlyError({
      code: "UNKNOWN",
      reason: "UNKNOWN",
      message: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  const code = statusName(error.code);
  const metadata = error.metadata instanceof grpc.Metadata ? error.metadata : new grpc.Metadata();
  const rich = bytesOf(metadata.get(STATUS_DETAILS_KEY)[0]);
  const status = rich ? decodeRpcStatus(rich) : undefined;
  const details = decodeJsonDetails(metadata.get(DETAILS_KEY)[0]);
  const sentReason = metadata.get(REASON_KEY)[0];
  const reason =
    status?.reason ||
    (typeof sentReason === "string" && sentReason !== "" ? sentReason : undefined) ||
    (code === "UNAVAILABLE" ? "PEER_UNAVAILABLE" : code);
  const fieldViolations =
    status && status.fieldViolations.length > 0 ? status.fieldViolations : violationsOf(details);
  return new OrderlyError({
    code,
    reason,
    message: error.details || status?.message || code.toLowerCase().replaceAll("_", " "),
    fieldViolations,
    details: { ...status?.metadata, ...details },
    cause: error,
  });
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number";
}

function bytesOf(value: grpc.MetadataValue | undefined): Uint8Array | undefined {
  return Buffer.isBuffer(value) && value.length > 0 ? value : undefined;
}

function decodeJsonDetails(value: grpc.MetadataValue | undefined): Record<string, unknown> {
  const bytes = bytesOf(value);
  if (!bytes) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The kit's validation details: `{ field, violations: [{ field, description }] }`. */
function violationsOf(details: Record<string, unknown>): FieldViolation[] {
  const list = details.violations;
  if (Array.isArray(list)) {
    return list.flatMap((v: unknown) => {
      const item = v as Partial<FieldViolation> | null;
      return item && typeof item.field === "string"
        ? [{ field: item.field, description: String(item.description ?? "") }]
        : [];
    });
  }
  return typeof details.field === "string" && details.field !== ""
    ? [{ field: details.field, description: "" }]
    : [];
}
