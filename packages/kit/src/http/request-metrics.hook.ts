import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Metrics } from "../metrics/index.ts";

/** The route label of requests no route matched: a fixed value, so scanners cannot explode cardinality. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Observes `http_server_request_duration_seconds{method, route, status_code}` for every response,
 * /metrics scrapes included: they are cheap, and a slow scrape is worth seeing. `route` is the
 * route template (`/v1/items/:sku`), never the raw path.
 */
export function installRequestMetrics(app: FastifyInstance, observe: ResponseObserver): void {
  app.addHook("onResponse", (request, reply, done) => {
    observe(request, reply);
    done();
  });
}

export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply) => void;

export function createResponseObserver(metrics: Metrics): ResponseObserver {
  const histogram = metrics.httpServerDuration;
  return (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  };
}
