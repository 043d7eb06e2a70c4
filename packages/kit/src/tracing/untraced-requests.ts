import type { FastifyContextConfig } from "fastify";
import { isTraced } from "../http/route-config.ts";

/**
 * Probes and scrapes arrive every few seconds from every load balancer, kubelet and Prometheus; a
 * trace each would drown the real ones. The http instrumentation sees only the raw path, so it
 * needs this list; fastify routes can also opt out with `config: { telemetry: false }`.
 */
export const UNTRACED_HTTP_PATHS: ReadonlySet<string> = new Set([
  "/health",
  "/health/live",
  "/health/ready",
  "/metrics",
]);

/**
 * `grpc.health.v1.Health` methods. The grpc instrumentation matches server calls on the method name
 * alone (`Check`, not `/grpc.health.v1.Health/Check`), so no Orderly proto may name a method Check
 * or Watch (none does; `WatchOrder` is a different name).
 */
export const UNTRACED_GRPC_METHODS: readonly string[] = ["Check", "Watch"];

/** Whether an incoming request target (path plus optional query) is a probe or a scrape. */
export function isUntracedHttpPath(target: string): boolean {
  const queryAt = target.indexOf("?");
  return UNTRACED_HTTP_PATHS.has(queryAt === -1 ? target : target.slice(0, queryAt));
}

/**
 * For @fastify/otel's `ignorePaths`, which is called with the route options when a route is added
 * (config present) and with `{ url, method }` for each request (raw url, no config).
 */
export function isUntracedFastifyRoute(route: { url: string; config?: FastifyContextConfig }): boolean {
  return !isTraced(route.config) || isUntracedHttpPath(route.url);
}
