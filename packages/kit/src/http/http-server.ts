import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { type Authenticator, createAuthenticator } from "../auth/token-verifier.ts";
import { CANARY_HEADER, withCanaryFlag } from "../grpc/canary-context.ts";
import type { Health } from "../health/index.ts";
import type { Logger } from "../log/index.ts";
import type { Metrics } from "../metrics/index.ts";
import { missingSchema } from "./define-route.ts";
import { createDrainGuard } from "./drain-guard.ts";
import { createFrameworkErrorHandler, installErrorHandling } from "./error-handling.ts";
import { registerHealthRoutes } from "./health.routes.ts";
import { lazyChildLoggerFactory } from "./lazy-request-logger.ts";
import { installLoadShedding, type LoadSheddingOptions } from "./load-shedding.ts";
import { registerMetricsRoute } from "./metrics.routes.ts";
import { type OpenApiOptions, registerOpenApi } from "./openapi.routes.ts";
import { QuietLogController } from "./quiet-log-controller.ts";
import { type RateLimitSettings, setUpRateLimit } from "./rate-limit.ts";
import { genRequestId, REQUEST_ID_HEADER } from "./request-id.ts";
import { createUnmatchedObserver, installRequestMetrics } from "./request-metrics.hook.ts";
import { installAuthentication, missingAccess } from "./route-access.ts";
import { isTraced } from "./route-config.ts";
import { installStrictValidation } from "./strict-validation.ts";

export interface HttpServerOptions {
  log: Logger;
  metrics: Metrics;
  health: Health;
  service: string;
  version: string;
  /** Larger bodies get 413 PAYLOAD_TOO_LARGE. Default 1 MiB. */
  bodyLimitBytes?: number;
  /**
   * @fastify/under-pressure limits; default `{ maxEventLoopDelayMs: 1000, retryAfterSeconds: 1 }`,
   * heap and RSS unlimited. Over a limit: 503 OVERLOADED and not ready. `false` turns it off.
   */
  loadShedding?: LoadSheddingOptions | false;
  /** Default title: the service name. */
  openapi?: OpenApiOptions;
  /**
   * Per-subject (or per-IP) rate limit; absent or `perMinute: 0` means none. The limiter for gRPC
   * calls, sharing the same counters, is `rateLimiterOf(app)`.
   */
  rateLimit?: RateLimitSettings;
  /**
   * Verifies bearer tokens for scoped routes. Services get it from their AUTH_* config (secure by
   * default); without one here every caller is the admin principal, as with AUTH_DISABLED=true.
   */
  authenticator?: Authenticator;
  /** Serve GET /openapi.json (EXPOSE_API_DOCS). Default true. */
  exposeApiDocs?: boolean;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * A fastify server with the Orderly HTTP contract in place: request ids, problem+json errors,
 * schema validation, RED metrics, load shedding, /health, /health/live, /health/ready, /metrics and
 * /openapi.json. The service adds its /v1 routes (with schemas) and then listens.
 */
export function createHttpServer(o: HttpServerOptions): FastifyInstance {
  const observeUnmatched = createUnmatchedObserver(o.metrics);
  const app = Fastify({
    loggerInstance: o.log as FastifyBaseLogger,
    logController: new QuietLogController(),
    // request.log binds request_id without a pino child per request until a line is written.
    childLoggerFactory: lazyChildLoggerFactory,
    genReqId: genRequestId,
    // genReqId reads and vets x-request-id itself; fastify's header option would trust it verbatim.
    requestIdHeader: false,
    bodyLimit: o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Idle keep-alive sockets close at once on close(); busy ones finish their request first.
    forceCloseConnections: "idle",
    // Requests arriving while draining get our problem+json 503 instead of fastify's plain one.
    return503OnClosing: false,
    frameworkErrors: createFrameworkErrorHandler(observeUnmatched),
  });

  // JSON only: a text/plain body is a wrong content type (415), not a string that fails the schema.
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/json");
  installStrictValidation(app);

  // Input validation on every route, checked when the route is added rather than found in production.
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      const missing = missingSchema(method, route.url, route.schema);
      if (missing) throw new Error(`${method} ${route.url}: ${missing}; every route validates its input`);
      const unguarded = missingAccess(route.config?.access);
      if (unguarded) throw new Error(`${method} ${route.url}: ${unguarded}`);
    }
    // A route the service marks untraced is also switched off in @fastify/otel's own terms, so its
    // per-request hook returns at once instead of consulting the path list.
    if (!isTraced(route.config) && route.config?.otel === undefined)
      route.config = { ...route.config, otel: false };
  });
  // One onRequest hook for both: every hook costs a call per request on the hot path.
  const admit = createDrainGuard(app);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // A flagged request's outgoing gRPC calls go to the peers' canaries (and carry the flag on).
    if (admit(request, reply)) withCanaryFlag(request.headers[CANARY_HEADER], done);
  });
  installAuthentication(app, o.authenticator ?? createAuthenticator({ disabled: true }));
  if (o.loadShedding !== false) o.health.addCheck(installLoadShedding(app, o.loadShedding ?? {}, o.metrics));
  installRequestMetrics(app, o.metrics);
  installErrorHandling(app, observeUnmatched);
  // After every other onRoute hook above: the limiter is each route's last preHandler.
  if (o.rateLimit) setUpRateLimit(app, o.rateLimit);

  registerOpenApi(app, {
    title: o.openapi?.title ?? o.service,
    ...o.openapi,
    service: o.service,
    version: o.version,
    serve: o.exposeApiDocs ?? true,
  });
  registerHealthRoutes(app, o.health);
  registerMetricsRoute(app, o.metrics);
  return app as unknown as FastifyInstance;
}
