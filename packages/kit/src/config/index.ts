export { z } from "zod";
export type { AdmissionConfig, AdmissionPolicy } from "./admission-config.ts";
export { ConfigError, type ConfigIssue } from "./config-error.ts";
export { envTypes } from "./env-types.ts";
export { CONFIG_ERROR_EXIT_CODE, loadOrExit } from "./exit-on-config-error.ts";
export { type GrpcTls, loadGrpcTlsConfig } from "./grpc-tls-config.ts";
export {
  DEFAULT_GRPC_MAX_MESSAGE_BYTES,
  DEFAULT_HTTP_BODY_LIMIT_BYTES,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type LimitsConfig,
  parseLimitsConfig,
} from "./limits-config.ts";
export { type Env, parseEnv } from "./parse-env.ts";
export { peerAddressVariable } from "./peer-address-variable.ts";
export { requirePeerAddresses } from "./required-peer-addresses.ts";
export {
  type ConfigSection,
  type LoadedServiceConfig,
  loadServiceConfig,
  type ServiceConfig,
  type ServiceConfigSpec,
} from "./service-config.ts";
