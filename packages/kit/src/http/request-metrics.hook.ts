import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  RouteOptions,
} from "fastify";
import type { Histogram } from "prom-client";
import type { HttpLabels, Metrics } from "../metrics/index.ts";
import { isOperational } from "./route-config.ts";

/** The route label of requests no route matched: a fixed value, so scanners cannot explode cardinality. */
export const UNMATCHED_ROUTE = "unmatched";

type Observer = { observe(value: number): void };

/**
 * Observes `orderly_http_server_request_duration_seconds{http_request_method, http_route,
 * http_response_status_code}`; `http_route` is the route template (`/v1/items/:sku`), never the raw
 * path. Probes and scrapes (operational routes) are not counted: a kubelet or Prometheus calling
 * every few seconds says nothing about the service's traffic, and skipping them makes a probe cost
 * nothing here.
 *
 * The hook is attached to each route when it is added, with the method and template already known,
 * so a request costs one array read (the label child for its status code, resolved on first use)
 * and one observe: no label object, no `request.routeOptions` (a getter that allocates).
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  const histogram = metrics.httpServerDuration;
  app.addHook("onRoute", (route: RouteOptions) => {
    if (isOperational(route.config)) return;
    const methods = [route.method].flat();
    // One route may serve several methods; each gets its own children.
    const byMethod = new Map(methods.map((m) => [m, new StatusChildren(histogram, m, route.url)]));
    const hook: onResponseHookHandler = function observeRequestDuration(request, reply, done) {
      byMethod.get(request.method)?.observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = route.onResponse ? [...[route.onResponse].flat(), hook] : hook;
  });
}

export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * For responses no route hook sees: unknown routes (the not-found handler) and errors fastify
 * raises before routing. Their route label is always UNMATCHED_ROUTE.
 */
export function createUnmatchedObserver(metrics: Metrics): ResponseObserver {
  const histogram = metrics.httpServerDuration;
  const byMethod = new Map<string, StatusChildren>();
  return (request, reply) => {
    const method = request.method;
    let children = byMethod.get(method);
    if (!children) {
      children = new StatusChildren(histogram, method, UNMATCHED_ROUTE);
      // Unknown methods are bounded by Node's HTTP parser (a fixed list), so this map stays small.
      byMethod.set(method, children);
    }
    children.observe(reply.statusCode, reply.elapsedTime / 1000);
  };
}

/** The label children of one method and route, one per status code, created on first use. */
class StatusChildren {
  readonly #histogram: Histogram<HttpLabels>;
  readonly #method: string;
  readonly #route: string;
  readonly #byStatus: (Observer | undefined)[] = [];

  constructor(histogram: Histogram<HttpLabels>, method: string, route: string) {
    this.#histogram = histogram;
    this.#method = method;
    this.#route = route;
  }

  observe(status: number, seconds: number): void {
    let child = this.#byStatus[status];
    if (!child) {
      child = this.#histogram.labels({
        http_request_method: this.#method,
        http_route: this.#route,
        http_response_status_code: String(status),
      });
      this.#byStatus[status] = child;
    }
    child.observe(seconds);
  }
}
