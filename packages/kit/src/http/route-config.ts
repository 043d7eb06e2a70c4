import type { FastifyContextConfig } from "fastify";
import "./route-access.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * `false` on operational routes (health, metrics, openapi): tracing must not create spans for
     * them. Read it in an onRoute hook (`routeOptions.config?.telemetry`) or per request
     * (`request.routeOptions.config.telemetry`). Absent means traced.
     */
    telemetry?: boolean;
    /**
     * `false`: never rejected by load shedding or while draining. For probes and scrapes, which
     * must keep answering exactly when the process is under pressure or shutting down.
     */
    shed?: boolean;
    /** `false`: not counted in the request-duration histogram (probes, scrapes). */
    metrics?: boolean;
  }
}

/**
 * The config every kit-owned operational route carries: not traced, never shed, not counted in the
 * request histogram, not rate limited. `otel: false` is @fastify/otel's own switch: with it the instrumentation wires
 * nothing onto the route and its per-request hook returns at the first check.
 */
export const OPERATIONAL_ROUTE_CONFIG: Readonly<
  Pick<FastifyContextConfig, "telemetry" | "shed" | "metrics" | "otel" | "access" | "rateLimit">
> = Object.freeze({
  // Probes and scrapes stay open: orchestrators and Prometheus carry no tokens.
  access: "public",
  // Probes and scrapes are never rate limited: a limited probe would restart a healthy instance.
  rateLimit: false,
  telemetry: false,
  shed: false,
  metrics: false,
  otel: false,
});

/** Whether a route should be traced; the tracing engineer's single question, answered in one place. */
export function isTraced(config: FastifyContextConfig | undefined): boolean {
  return config?.telemetry !== false;
}

/** Whether a route may be rejected with 503 under load or during drain. */
export function isSheddable(config: FastifyContextConfig | undefined): boolean {
  return config?.shed !== false;
}

/** Whether a route is left out of the request-duration histogram. */
export function isOperational(config: FastifyContextConfig | undefined): boolean {
  return config?.metrics === false;
}
