import type { FastifyInstance, FastifyReply } from "fastify";
import type { CheckResult, Health, HealthReport } from "../health/index.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

/** The /health body: the HealthReport in snake_case, as everything on our wire. */
export interface HealthReportWire {
  status: HealthReport["status"];
  state: HealthReport["state"];
  service: string;
  version: string;
  instance: string;
  uptime_seconds: number;
  checks: Record<
    string,
    { status: "pass" | "fail"; required: boolean; latency_ms: number; age_ms: number; error?: string }
  >;
}

export function toHealthWire(report: HealthReport): HealthReportWire {
  const checks: HealthReportWire["checks"] = {};
  // A plain loop and fixed shapes: every probe comes through here.
  for (const name in report.checks) {
    const c = report.checks[name] as CheckResult;
    checks[name] =
      c.error === undefined
        ? { status: c.status, required: c.required, latency_ms: c.latencyMs, age_ms: c.ageMs }
        : {
            status: c.status,
            required: c.required,
            latency_ms: c.latencyMs,
            age_ms: c.ageMs,
            error: c.error,
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
        required: ["status", "required", "latency_ms", "age_ms"],
        properties: {
          status: { type: "string", enum: ["pass", "fail"] },
          required: { type: "boolean" },
          latency_ms: { type: "number" },
          /** How old the result is: checks run in the background, probes read the latest. */
          age_ms: { type: "number" },
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
 *
 * The report comes from the checks' latest results (`Health.latest`): checks run in the background
 * on their interval, so a probe flood costs the database nothing, and concurrent probes that find
 * a result stale share one run. Handlers are synchronous when the results are fresh (no promise,
 * no microtask per probe).
 */
export function registerHealthRoutes(app: FastifyInstance, health: Health): void {
  const sendReport = (reply: FastifyReply, statusOf: (report: HealthReport) => number) => {
    const current = health.latest();
    if (!(current instanceof Promise)) return reply.code(statusOf(current)).send(toHealthWire(current));
    return current.then((report) => reply.code(statusOf(report)).send(toHealthWire(report)));
  };
  const fullStatus = (report: HealthReport) => (report.status === "fail" ? 503 : 200);
  const readyStatus = () => (health.readyNow() ? 200 : 503);
  const LIVE = { status: "pass" } as const;
  const DEAD = { status: "fail" } as const;

  app.get(
    "/health",
    { ...probe, schema: { hide: true, response: { 200: reportSchema, 503: reportSchema } } },
    (_request, reply) => sendReport(reply, fullStatus),
  );

  app.get(
    "/health/live",
    { ...probe, schema: { hide: true, response: { 200: liveSchema, 503: liveSchema } } },
    (_request, reply) => (health.live() ? reply.send(LIVE) : reply.code(503).send(DEAD)),
  );

  app.get(
    "/health/ready",
    { ...probe, schema: { hide: true, response: { 200: reportSchema, 503: reportSchema } } },
    (_request, reply) => sendReport(reply, readyStatus),
  );
}
