import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Logger } from "../log/index.ts";

/** The request-id field on every line a request logs; snake_case like `trace_id`. */
export const REQUEST_ID_LOG_LABEL = "request_id";

/**
 * fastify's per-request log lines, made fit for production. fastify logs "incoming request" and
 * "request completed" at info: two lines per request, which at benchmark rates costs more than the
 * handler and buries what matters. Failures are logged once, by the error handler (5xx at error,
 * 4xx at debug); here the access lines move to debug, so `LOG_LEVEL=debug` brings them back.
 */
export class QuietLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: REQUEST_ID_LOG_LABEL });
  }

  override incomingRequest(): void {
    // Nothing: the completion line (debug) carries the method, path and outcome.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      // The response itself broke (socket reset, stream error): the client saw no clean answer.
      reply.log.warn({ err: error, method: request.method, status: reply.statusCode }, "response failed");
      return;
    }
    // Skip building the line at all unless debug is on: this runs for every request.
    if (!(reply.log as Logger).isLevelEnabled("debug")) return;
    reply.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: reply.statusCode,
        duration_ms: reply.elapsedTime,
      },
      "request completed",
    );
  }

  override routeNotFound(): void {
    // Our not-found handler answers and logs (debug); fastify's default line would be at info.
  }
}
