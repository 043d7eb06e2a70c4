import { type AppError, codeName, httpStatusOf, toAppError } from "../errors/index.ts";
import { fromFrameworkError } from "./framework-errors.ts";

/** RFC 9457 problem details, as every Orderly HTTP error goes on the wire. */
export interface ProblemDetails {
  /** `https://orderly.dev/problems/<reason-kebab>`: stable, one per reason. */
  type: string;
  /** The reason, humanised ("Payload too large"). */
  title: string;
  status: number;
  /** The AppError message: what went wrong with this request. */
  detail: string;
  /** The request path (no query string: it may carry personal data). */
  instance?: string;
  /** UPPER_SNAKE, from the service's proto error-reason enum. */
  reason: string;
  /** The gRPC code name (`NOT_FOUND`), the same as the gRPC transport would return. */
  code: string;
  details?: object;
  request_id?: string;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
export const PROBLEM_TYPE_BASE = "https://orderly.dev/problems/";

export interface Problem {
  status: number;
  body: ProblemDetails;
  /** The AppError the body was built from; its `cause` is for the log, never the wire. */
  error: AppError;
}

/**
 * The one place an error becomes an HTTP response. AppErrors map through `httpStatusOf(code)`;
 * fastify's own request errors (validation, bad JSON, 413, 415…) become AppErrors first; anything
 * else is INTERNAL "internal error" with the original kept only as `error.cause`.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  const failure = fromFrameworkError(error);
  const appError = failure?.error ?? toAppError(error);
  const status = failure?.status ?? httpStatusOf(appError.code);
  const body: ProblemDetails = {
    type: PROBLEM_TYPE_BASE + appError.reason.toLowerCase().replaceAll("_", "-"),
    title: humanise(appError.reason),
    status,
    detail: appError.message,
    ...(instance === undefined ? {} : { instance }),
    reason: appError.reason,
    code: codeName(appError.code),
    ...(Object.keys(appError.details).length > 0 ? { details: appError.details } : {}),
  };
  return { status, body, error: appError };
}

/** `PAYLOAD_TOO_LARGE` -> `Payload too large`. */
export function humanise(reason: string): string {
  const words = reason.toLowerCase().split("_").filter(Boolean).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
