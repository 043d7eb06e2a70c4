import underPressure from "@fastify/under-pressure";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AdmissionPolicy } from "../config/index.ts";
import type { DependencyCheck } from "../health/index.ts";
import { AdmissionLimit, admissionLimitFor } from "../load/admission-limit.ts";
import { exportAdmissionLimit } from "../load/admission-metrics.ts";
import { overloadedError, requestsShedCounter, type ShedCause } from "../load/shedding.ts";
import type { Metrics } from "../metrics/index.ts";
import { pathOf, sendProblem } from "./error-handling.ts";
import { installAdmissionLimit } from "./in-flight-limit.ts";
import { toProblem } from "./problem-details.ts";
import { isSheddable } from "./route-config.ts";

export interface LoadSheddingOptions {
  /** Above this event-loop delay (mean over a sample), sheddable requests get 503. Default 1000; 0 = off. */
  maxEventLoopDelayMs?: number;
  /** Above this heap use, sheddable requests get 503. Default 0 = off. */
  maxHeapUsedBytes?: number;
  /** Above this resident set size, sheddable requests get 503. Default 0 = off. */
  maxRssBytes?: number;
  /** The Retry-After header on shed requests. Default 1. */
  retryAfterSeconds?: number;
  /** How often delay, heap and RSS are sampled. Default 1000 ms. */
  sampleIntervalMs?: number;
  /**
   * The admission limit on sheddable requests in progress (the service config's `load.admission`;
   * its `http` policy, or a limit built elsewhere, as tests do). Default off.
   */
  admission?: { http: AdmissionPolicy | AdmissionLimit };
}

export const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 1000;

/** under-pressure's pressure types in the `cause` label values the gRPC server uses too. */
const SHED_CAUSES: Readonly<Record<string, ShedCause>> = {
  eventLoopDelay: "event_loop_delay",
  heapUsedBytes: "heap_used",
  rssBytes: "rss",
};

/**
 * Load shedding by @fastify/under-pressure: it samples event-loop delay, heap and RSS on an
 * interval (a request reads numbers, never measures) and, over a limit, answers sheddable requests
 * with our 503 OVERLOADED problem+json and Retry-After. Answering fast beats answering late: every
 * request admitted under pressure makes all the others later. Probes and scrapes are never shed.
 *
 * Returns the readiness check that makes the same limits visible to load balancers, gRPC health
 * and Consul: an overloaded instance reports not-ready (check "load") until it recovers, and the
 * transitions are logged once each, never per shed request.
 */
export function installLoadShedding(
  app: FastifyInstance,
  options: LoadSheddingOptions,
  metrics?: Metrics,
): DependencyCheck {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const maxEventLoopDelay = options.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS;
  const shedCount = metrics ? requestsShedCounter(metrics) : undefined;
  const shed = (request: FastifyRequest, reply: FastifyReply, type: string): void => {
    // Returning without sending lets the request through (under-pressure then calls next()).
    if (!isSheddable(request.routeOptions.config)) return;
    const cause = SHED_CAUSES[type];
    shedCount?.labels("http", cause ?? type).inc();
    const problem = toProblem(
      overloadedError(cause ?? "event_loop_delay", Number(retryAfter) * 1000),
      pathOf(request),
    );
    sendProblem(request, reply, problem, { "retry-after": retryAfter });
  };
  void app.register(underPressure, {
    maxEventLoopDelay,
    maxHeapUsedBytes: options.maxHeapUsedBytes ?? 0,
    maxRssBytes: options.maxRssBytes ?? 0,
    sampleInterval: options.sampleIntervalMs ?? 1000,
    retryAfter: options.retryAfterSeconds ?? 1,
    pressureHandler: shed,
  });
  const policy = options.admission?.http ?? { mode: "off" };
  const admission = policy instanceof AdmissionLimit ? policy : admissionLimitFor(policy);
  if (admission) {
    if (metrics) exportAdmissionLimit(metrics, "http", admission);
    installAdmissionLimit(app, admission, {
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      shed: shedCount,
    });
  }

  let overloaded = false;
  return {
    name: "load",
    check: async () => {
      // Before the plugin has loaded (app not ready yet) there is nothing to read.
      if (typeof app.isUnderPressure !== "function") return;
      const pressure = app.isUnderPressure();
      const usage = app.memoryUsage();
      const reading = {
        event_loop_delay_ms: Math.round(usage.eventLoopDelay),
        heap_used_bytes: usage.heapUsed,
        rss_bytes: usage.rssBytes,
      };
      if (pressure !== overloaded) {
        overloaded = pressure;
        if (pressure) app.log.warn(reading, "overloaded: shedding load");
        else app.log.info(reading, "load back to normal: admitting all requests");
      }
      if (pressure) {
        throw new Error(
          `under pressure: event loop delay ${reading.event_loop_delay_ms} ms, heap ${reading.heap_used_bytes} B, rss ${reading.rss_bytes} B`,
        );
      }
    },
  };
}
