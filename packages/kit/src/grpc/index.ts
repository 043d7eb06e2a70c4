export { AUTHORIZATION_METADATA, bearerGuard } from "./bearer-guard.ts";
export { type CallContext, IDEMPOTENCY_KEY_HEADER } from "./call-context.ts";
export type { CallCheck, CallGuard } from "./call-guard.ts";
export { type CallerPolicy, CallerReason, callerGuard } from "./caller-allowlist.ts";
export { CANARY_HEADER, withCanaryFlag } from "./canary-context.ts";
export {
  type AttemptOutcome,
  CircuitBreaker,
  type CircuitBreakerOptions,
  CircuitState,
} from "./circuit-breaker.ts";
export {
  fromGrpcError,
  type GrpcStatus,
  richStatusOf,
  TransportReason,
  toGrpcStatus,
} from "./error-mapping.ts";
export { type BreakerOptions, createGrpcClient, type GrpcClientOptions } from "./grpc-client.ts";
export { GrpcServer, type GrpcServerOptions } from "./grpc-server.ts";
export { type ClientCertificatePolicy, clientTls, serverCredentials } from "./grpc-tls.ts";
export { runOutsideCall } from "./incoming-call-scope.ts";
export { partialService } from "./partial-service.ts";
export type { RetryOptions } from "./retry-policy.ts";
export { decodeRichStatus, ERROR_DOMAIN, type RichStatus, STATUS_DETAILS_KEY } from "./rich-status.ts";
export type {
  CallOptions,
  Client,
  ClientMethod,
  MethodHandler,
  ServerStreamingClientMethod,
  ServerStreamingHandler,
  ServiceImplementation,
  UnaryClientMethod,
  UnaryHandler,
} from "./service-types.ts";
