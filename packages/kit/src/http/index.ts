export { compileDeferredValidators } from "./deferred-validators.ts";
export { defineRoute, type RouteDefinition } from "./define-route.ts";
export { sendProblem } from "./error-handling.ts";
export { type HealthReportWire, toHealthWire } from "./health.routes.ts";
export { closeHttp, listenHttp } from "./http-lifecycle.ts";
export {
  createHttpServer,
  DEFAULT_BODY_LIMIT_BYTES,
  type HttpServerOptions,
} from "./http-server.ts";
export {
  JSON_DATE_TIME,
  JSON_INTEGER,
  JSON_STRING,
  type JsonObjectOptions,
  jsonArray,
  jsonObject,
  uuidParams,
} from "./json-schema-parts.ts";
export { DEFAULT_MAX_EVENT_LOOP_DELAY_MS, type LoadSheddingOptions } from "./load-shedding.ts";
export { type OpenApiOptions, PROBLEM_DETAILS_SCHEMA } from "./openapi.routes.ts";
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  type Problem,
  type ProblemDetails,
  toProblem,
} from "./problem-details.ts";
export { REQUEST_ID_LOG_LABEL } from "./quiet-log-controller.ts";
export { RATE_LIMIT_WINDOW_MS, type RateLimitSettings, rateLimiterOf } from "./rate-limit.ts";
export { isAcceptableRequestId, REQUEST_ID_HEADER } from "./request-id.ts";
export { UNMATCHED_ROUTE } from "./request-metrics.hook.ts";
export { isSheddable, isTraced, OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";
