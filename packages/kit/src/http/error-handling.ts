import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerChallenge } from "../auth/auth-errors.ts";
import { notFound } from "../errors/index.ts";
import { PROBLEM_CONTENT_TYPE, type Problem, toProblem } from "./problem-details.ts";
import { REQUEST_ID_HEADER } from "./request-id.ts";

/**
 * Writes a problem+json response. The body goes out as a string so a route's own response schema
 * (written for its success shape) never filters a problem's fields.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  headers?: Record<string, string>,
): FastifyReply {
  const body = { ...problem.body, request_id: request.id };
  if (headers) reply.headers(headers);
  return reply
    .code(problem.status)
    .header(REQUEST_ID_HEADER, request.id)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(body, bigintAsString));
}

/** AppError details may carry int64 values (protobuf-es bigint); JSON has no bigint. */
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** The request path without its query string, which may carry personal data. */
export function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Logs what an operator can act on: every 5xx at error, with the original cause and its stack.
 * 4xx are the client's business and already counted in the RED histogram by route and status, so
 * they only show at debug; logging them at info would let one misbehaving client flood the logs and
 * cost throughput exactly when it hurts.
 */
function logProblem(request: FastifyRequest, problem: Problem): void {
  const { reason, code, status } = problem.body;
  if (problem.status >= 500) {
    request.log.error({ err: problem.error.cause ?? problem.error, status, reason, code }, "request failed");
  } else {
    request.log.debug({ status, reason, code, details: problem.body.details }, "request rejected");
  }
}

export function replyWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const problem = toProblem(error, pathOf(request));
  logProblem(request, problem);
  // RFC 6750: a 401 names the scheme the client should authenticate with.
  const challenge = bearerChallenge(problem.error);
  sendProblem(
    request,
    reply,
    problem,
    challenge === undefined ? undefined : { "www-authenticate": challenge },
  );
}

/**
 * Errors fastify raises before a route is known (malformed URL, over-long parameter), for the
 * `frameworkErrors` server option so they get problem+json too. No hook runs on that path, so
 * `onResponse` (the RED histogram) is called here once the response is out.
 */
export function createFrameworkErrorHandler(
  onResponse: (request: FastifyRequest, reply: FastifyReply) => void,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    reply.raw.once("finish", () => onResponse(request, reply));
    replyWithProblem(error, request, reply);
  };
}

/**
 * Every error and every unknown route leaves as problem+json. Unknown routes have no route hooks,
 * so `onUnmatched` (the RED histogram's `unmatched` series) is called once the response is out.
 */
export function installErrorHandling(
  app: FastifyInstance,
  onUnmatched: (request: FastifyRequest, reply: FastifyReply) => void,
): void {
  app.setErrorHandler((error, request, reply) => {
    replyWithProblem(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.raw.once("finish", () => onUnmatched(request, reply));
    const path = pathOf(request);
    const problem = toProblem(notFound("ROUTE_NOT_FOUND", `no route for ${request.method} ${path}`), path);
    logProblem(request, problem);
    sendProblem(request, reply, problem);
  });
}
