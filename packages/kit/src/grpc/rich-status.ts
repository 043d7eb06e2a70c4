import { create, createRegistry, fromBinary, type Registry, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack, type Duration, DurationSchema } from "@bufbuild/protobuf/wkt";
import {
  type BadRequest,
  BadRequestSchema,
  type ErrorInfo,
  ErrorInfoSchema,
  file_google_rpc_error_details,
  type RetryInfo,
  RetryInfoSchema,
} from "@orderly/contracts/google-rpc-error-details";
import { file_google_rpc_status, StatusSchema } from "@orderly/contracts/google-rpc-status";
import type { AppError, ErrorDetails, FieldViolation } from "../errors/index.ts";

/**
 * The standard gRPC trailer carrying a serialized google.rpc.Status (the "rich error model"):
 * grpcurl, buf curl and every gRPC library that knows the model decode it without our code.
 */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";
/** ErrorInfo.domain of every reason Orderly sends. */
export const ERROR_DOMAIN = "orderly.dev";

/** The google.rpc files a server should describe through reflection, so tools can decode details. */
export const richStatusFiles = [file_google_rpc_status, file_google_rpc_error_details] as const;

const detailTypes: Registry = createRegistry(ErrorInfoSchema, BadRequestSchema, RetryInfoSchema);

/** What a google.rpc.Status carried, in the kit's terms. */
export interface RichStatus {
  reason: string | undefined;
  details: ErrorDetails;
  retryAfterMs: number | undefined;
}

/**
 * google.rpc.Status for an AppError: ErrorInfo (reason, domain, details as string metadata),
 * BadRequest when the details list field violations, RetryInfo when the error says when to retry.
 */
export function encodeRichStatus(app: AppError, code: number): Buffer {
  const { violations, ...rest } = app.details as { violations?: unknown } & ErrorDetails;
  const fieldViolations = asFieldViolations(violations);
  const details = [
    anyPack(
      ErrorInfoSchema,
      create(ErrorInfoSchema, {
        reason: app.reason,
        domain: ERROR_DOMAIN,
        metadata: toMetadata(fieldViolations ? rest : app.details),
      }),
    ),
  ];
  if (fieldViolations) {
    details.push(anyPack(BadRequestSchema, create(BadRequestSchema, { fieldViolations: fieldViolations })));
  }
  if (app.retryAfterMs !== undefined && app.retryAfterMs >= 0) {
    details.push(
      anyPack(RetryInfoSchema, create(RetryInfoSchema, { retryDelay: durationOf(app.retryAfterMs) })),
    );
  }
  const bytes = toBinary(StatusSchema, create(StatusSchema, { code, message: app.message, details }));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The kit's view of a google.rpc.Status; undefined when the bytes are not one. */
export function decodeRichStatus(bytes: Uint8Array): RichStatus | undefined {
  let status: ReturnType<typeof fromBinary<typeof StatusSchema>>;
  try {
    status = fromBinary(StatusSchema, bytes);
  } catch {
    return undefined;
  }
  let info: ErrorInfo | undefined;
  let badRequest: BadRequest | undefined;
  let retry: RetryInfo | undefined;
  for (const any of status.details) {
    const message = safeUnpack(any);
    if (!message) continue;
    if (message.$typeName === ErrorInfoSchema.typeName) info ??= message as ErrorInfo;
    else if (message.$typeName === BadRequestSchema.typeName) badRequest ??= message as BadRequest;
    else if (message.$typeName === RetryInfoSchema.typeName) retry ??= message as RetryInfo;
  }
  const details: Record<string, unknown> = info ? fromMetadata(info.metadata) : {};
  if (badRequest && badRequest.fieldViolations.length > 0) {
    const violations = badRequest.fieldViolations.map(({ field, description }) => ({ field, description }));
    details.violations = violations;
    details.field ??= violations[0]?.field;
  }
  return {
    reason: info?.reason || undefined,
    details,
    retryAfterMs: retry?.retryDelay ? millisOf(retry.retryDelay) : undefined,
  };
}

function safeUnpack(any: Parameters<typeof anyUnpack>[0]) {
  try {
    return anyUnpack(any, detailTypes);
  } catch {
    // One unreadable detail does not hide the others.
    return undefined;
  }
}

function asFieldViolations(value: unknown): FieldViolation[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const list: FieldViolation[] = [];
  for (const v of value) {
    if (typeof v !== "object" || v === null) return undefined;
    const { field, description } = v as Partial<FieldViolation>;
    if (typeof field !== "string") return undefined;
    list.push({ field, description: typeof description === "string" ? description : "" });
  }
  return list;
}

/**
 * ErrorInfo.metadata is map<string, string>: strings travel as they are, anything else as JSON
 * (bigint as its decimal string). Keys keep the domain's snake_case names.
 */
function toMetadata(details: ErrorDetails): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (value === undefined) continue;
    metadata[key] =
      typeof value === "string" || typeof value === "bigint"
        ? String(value)
        : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  }
  return metadata;
}

/**
 * The inverse for structures: a value that reads as a JSON object or array is one (so lists of
 * shortages or SKUs survive); scalars stay strings, since "10" and 10 look alike on this wire.
 */
function fromMetadata(metadata: Record<string, string>): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) details[key] = parseStructure(value);
  return details;
}

function parseStructure(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== "{" && first !== "[") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function durationOf(ms: number): Duration {
  const whole = Math.floor(ms);
  return create(DurationSchema, {
    seconds: BigInt(Math.floor(whole / 1000)),
    nanos: (whole % 1000) * 1_000_000,
  });
}

function millisOf(duration: Duration): number {
  return Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1_000_000);
}
