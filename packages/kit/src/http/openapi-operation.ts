import type { FastifySchema } from "fastify";
import { PROBLEM_CONTENT_TYPE } from "./problem-details.ts";
import type { RouteAccess } from "./route-access.ts";

/** The name of the bearer-token security scheme in `components.securitySchemes`. */
export const BEARER_SCHEME = "bearer";

/**
 * What the kit knows about every /v1 operation and adds to its OpenAPI description, so each passes
 * `redocly lint --extends recommended`: an operationId (derived when the route names none), the
 * security it really has, and a problem+json response per error status the kit itself produces.
 */

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/ProblemDetails" } } },
});

/** Statuses the kit answers for any /v1 route, whatever its handler does. */
const KIT_PROBLEMS: Readonly<Record<string, ReturnType<typeof problem>>> = {
  // Every route validates its input (schemas are required by defineRoute and createHttpServer).
  "400": problem("The request is invalid: VALIDATION_FAILED naming each bad field (RFC 9457 problem)"),
  "413": problem("The request body is larger than the server accepts: PAYLOAD_TOO_LARGE"),
  // Admission control sheds /v1 requests under event-loop pressure and while draining.
  "503": problem("Overloaded or shutting down (OVERLOADED, SHUTTING_DOWN); retry after Retry-After"),
  default: problem("Any other failure, e.g. INTERNAL (RFC 9457 problem)"),
};

/** What every scoped route may answer before its handler runs. */
const AUTH_PROBLEMS: Readonly<Record<string, ReturnType<typeof problem>>> = {
  "401": problem(
    "No bearer token, or one that is invalid or expired (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED)",
  ),
  "403": problem("The token lacks the scope this operation needs (SCOPE_MISSING)"),
};

const NOT_FOUND = problem("No such resource: the service's *_NOT_FOUND reason (RFC 9457 problem)");

type Responses = Record<string, unknown>;

/** The route's schema as the OpenAPI document should describe it. */
export function describeOperation(
  schema: FastifySchema | undefined,
  method: string,
  url: string,
  access?: RouteAccess,
): FastifySchema {
  const base = (schema ?? {}) as FastifySchema & { operationId?: string; security?: unknown };
  const declared = (base.response ?? {}) as Responses;
  const response: Responses = { ...declared };
  const hasBody = base.body !== undefined;
  for (const [status, answer] of Object.entries(KIT_PROBLEMS)) {
    if (status === "413" && !hasBody) continue;
    if (!(status in declared) && !("4xx" in declared && status.startsWith("4"))) response[status] = answer;
  }
  const scoped = access !== undefined && access !== "public";
  if (scoped) {
    for (const [status, answer] of Object.entries(AUTH_PROBLEMS))
      if (!(status in declared)) response[status] = answer;
  }
  // A resource named in the path may not exist (an upsert by PUT creates it instead).
  if (url.includes(":") && method !== "PUT" && !("404" in declared)) response["404"] = NOT_FOUND;
  return {
    ...base,
    operationId: base.operationId ?? derivedOperationId(method, url),
    // The scope each operation needs; an empty requirement list says a public route needs none.
    security: base.security ?? (scoped ? [{ [BEARER_SCHEME]: [access.scope] }] : []),
    response,
  } as FastifySchema;
}

/**
 * A stable operationId for a route that names none: the method, then the path's words in
 * camelCase, a parameter as "By<Name>" — GET /v1/orders/:id/cancel → getOrdersByIdCancel.
 */
export function derivedOperationId(method: string, url: string): string {
  const words = url
    .split("/")
    .filter((segment) => segment !== "" && !/^v\d+$/.test(segment))
    .flatMap((segment) => (segment.startsWith(":") ? ["by", ...split(segment.slice(1))] : split(segment)));
  return [method.toLowerCase(), ...words.map(capitalise)].join("");
}

function split(segment: string): string[] {
  return segment.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
