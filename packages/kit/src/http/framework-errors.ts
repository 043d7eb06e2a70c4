import type http from "node:http";
import { createRequire } from "node:module";
import type { FastifySchemaValidationError } from "fastify";
import { AppError, Code, validationError } from "../errors/index.ts";
import { toFieldViolations } from "./validation-violations.ts";

// Required, not imported: Node 24's ES facade of node:http reads its WebSocket getters, which
// compiles the bundled undici (~750 KB of source, ~15 ms of start-up) for a table of status texts.
const { STATUS_CODES } = createRequire(import.meta.url)("node:http") as typeof http;

/** An AppError plus the HTTP status when it is one `httpStatusOf(code)` cannot express (413, 415). */
export interface HttpFailure {
  error: AppError;
  status?: number;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/**
 * Fastify's own request errors (bad JSON, wrong media type, body too large, schema validation)
 * rebuilt as AppErrors, so they reach the client through the same problem+json mapping as domain
 * errors. Returns undefined for anything fastify did not raise about the request.
 */
export function fromFrameworkError(error: unknown): HttpFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as FastifyLikeError;
  if (typeof e.code !== "string" || !e.code.startsWith("FST_")) return undefined;

  switch (e.code) {
    case "FST_ERR_VALIDATION":
      if (!Array.isArray(e.validation)) break;
      return {
        error: validationError(
          toFieldViolations(
            e.validation as FastifySchemaValidationError[],
            String(e.validationContext ?? "body"),
          ),
        ),
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { error: validationError({ field: "body", description: "is not valid JSON" }) };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { error: validationError({ field: "body", description: "must not be empty" }) };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { error: validationError({ field: "body", description: "does not match Content-Length" }) };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      // INVALID_ARGUMENT, not RESOURCE_EXHAUSTED: the same body will never fit, so clients must not retry.
      return {
        status: 413,
        error: new AppError({
          code: Code.INVALID_ARGUMENT,
          reason: "PAYLOAD_TOO_LARGE",
          message: "request body is larger than the server accepts",
        }),
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        error: new AppError({
          code: Code.INVALID_ARGUMENT,
          reason: "UNSUPPORTED_MEDIA_TYPE",
          message: "unsupported content type; send application/json",
        }),
      };
    case "FST_ERR_BAD_URL":
      return { error: validationError({ field: "path", description: "is not a valid URL" }) };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return { status: 414, error: validationError({ field: "path", description: "parameter is too long" }) };
    case "FST_ERR_HANDLER_TIMEOUT":
      // A route's handlerTimeout expired: the caller's deadline, in gRPC terms.
      return {
        error: new AppError({
          code: Code.DEADLINE_EXCEEDED,
          reason: "HANDLER_TIMEOUT",
          message: "the request took longer than the route allows",
        }),
      };
  }

  // Any other fastify 4xx is about the request and says so in a client-safe message; 5xx are ours
  // and stay internal.
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (status < 400 || status > 499) return undefined;
  const text = STATUS_CODES[status] ?? "Bad Request";
  return {
    status,
    error: new AppError({
      code: codeForClientStatus(status),
      reason: text.toUpperCase().replace(/[^A-Z0-9]+/g, "_"),
      message: typeof e.message === "string" ? e.message : text,
    }),
  };
}

/** Client statuses fastify raises that mean something more precise than a bad argument. */
const CODE_FOR_CLIENT_STATUS: ReadonlyMap<number, Code> = new Map([
  [401, Code.UNAUTHENTICATED],
  [403, Code.PERMISSION_DENIED],
  [404, Code.NOT_FOUND],
  [408, Code.DEADLINE_EXCEEDED],
  [409, Code.ABORTED],
  [429, Code.RESOURCE_EXHAUSTED],
]);

function codeForClientStatus(status: number): Code {
  return CODE_FOR_CLIENT_STATUS.get(status) ?? Code.INVALID_ARGUMENT;
}
