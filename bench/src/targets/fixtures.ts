/**
 * What both sides of a kit-vs-bare scenario answer, so the comparison measures the framework
 * around the handler and nothing else.
 */

/** The kit's /health response schema (packages/kit/src/http/health.routes.ts), for the bare app. */
export const HEALTH_REPORT_SCHEMA = {
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

export const BENCH_SERVICE = "bench";
export const BENCH_VERSION = "0.1.0";
