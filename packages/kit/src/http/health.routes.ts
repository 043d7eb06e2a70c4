import type { FastifyInstance } from "fastify";
import type { Health, HealthReport } from "../health/index.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

/** The /health body: the HealthReport in snake_case, as everything on our wire. */
export interface HealthReportWire {
  status: HealthReport["status"];
  state: HealthReport["state"];
  service: string;
  version: string;
  instance: string;
  uptime_seconds: number;
  checks: Record<string, { status: "pass" | "fail"; required: boolean; latency_ms: number; error?: string }>;
}

export function toHealthWire(report: HealthReport): HealthReportWire {
  const checks: HealthReportWire["checks"] = {};
  for (const [name, c] of Object.entries(report.checks)) {
    checks[name] = {
      status: c.status,
      required: c.required,
      latency_ms: c.latencyMs,
      ...(c.error === undefined ? {} : { error: c.error }),
    };
  }
  return {
    status: report.status,
    state: report.state,
    service: report.service,
    version: report.version,
    instance: report.instance,
    uptime_seconds: report.uptimeSeconds,
    checks,
  };
}

const reportSchema = {
  type: "object",
  required: ["status", "state", "service", "version", "instance", "uptime_seconds", "checks"],
  properties: {
    status: { type: "string", enum: ["pass", "warn", "fail"] },
    state: { type: "string", enum: ["STARTING", "SERVING", "DRAINING", "STOPPED"] },
    service: { type: "string" },
    version: { type: "string" },
    instance: { type: "string" },
    uptime_seconds: { type: "number" },
    checks: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["status", "required", "latency_ms"],
        properties: {
          status: { type: "string", enum: ["pass", "fail"] },
          required: { type: "boolean" },
          latency_ms: { type: "number" },
          error: { type: "string" },
        },
      },
    },
  },
} as const;

const liveSchema = {
  type: "object",
  required: ["status"],
  properties: { status: { type: "string", enum: ["pass", "fail"] } },
} as const;

/**
 * Probes: hidden from the OpenAPI document, never traced, never shed. No HEAD twin: probes use GET,
 * and each twin compiles its own serializers at startup.
 */
const probe = { config: OPERATIONAL_ROUTE_CONFIG, exposeHeadRoute: false } as const;

/**
 * GET /health (full report; 200 on pass or warn, 503 on fail), GET /health/live (200 unless
 * STOPPED; never looks at dependencies, so a database outage does not get the pod restarted), GET
 * /health/ready (200 when serving and required checks pass, else 503; the report either way).
 */
export function registerHealthRoutes(app: FastifyInstance, health: Health): void {
  // Concurrent probes share one run of the checks: a burst of /health calls costs the database one
  // `select 1`, not one each. Each answer is still as fresh as the run in flight.
  let running: Promise<HealthReport> | undefined;
  const report = (): Promise<HealthReport> => {
    running ??= health.report().finally(() => {
      running = undefined;
    });
    return running;
  };

  app.get(
    "/health",
    { ...probe, schema: { hide: true, response: { 200: reportSchema, 503: reportSchema } } },
    async (_request, reply) => {
      const current = await report();
      return reply.code(current.status === "fail" ? 503 : 200).send(toHealthWire(current));
    },
  );

  app.get(
    "/health/live",
    { ...probe, schema: { hide: true, response: { 200: liveSchema, 503: liveSchema } } },
    async (_request, reply) => {
      const live = health.live();
      return reply.code(live ? 200 : 503).send({ status: live ? "pass" : "fail" });
    },
  );

  app.get(
    "/health/ready",
    { ...probe, schema: { hide: true, response: { 200: reportSchema, 503: reportSchema } } },
    async (_request, reply) => {
      const current = await report();
      return reply.code(health.readyNow() ? 200 : 503).send(toHealthWire(current));
    },
  );
}
