import type { FastifyContextConfig } from "fastify";

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
  }
}

/** The config every kit-owned operational route carries: not traced, never shed. */
export const OPERATIONAL_ROUTE_CONFIG: Readonly<Pick<FastifyContextConfig, "telemetry" | "shed">> =
  Object.freeze({
    telemetry: false,
    shed: false,
  });

/** Whether a route should be traced; the tracing engineer's single question, answered in one place. */
export function isTraced(config: FastifyContextConfig | undefined): boolean {
  return config?.telemetry !== false;
}

/** Whether a route may be rejected with 503 under load or during drain. */
export function isSheddable(config: FastifyContextConfig | undefined): boolean {
  return config?.shed !== false;
}
