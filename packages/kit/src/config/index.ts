export { z } from "zod";
export { ConfigError, type ConfigIssue } from "./config-error.ts";
export { envTypes } from "./env-types.ts";
export { CONFIG_ERROR_EXIT_CODE, loadOrExit } from "./exit-on-config-error.ts";
export { type GrpcTls, loadGrpcTlsConfig } from "./grpc-tls-config.ts";
export { type Env, parseEnv } from "./parse-env.ts";
export {
  loadServiceConfig,
  peerAddressVariable,
  type ServiceConfig,
  type ServiceConfigSpec,
} from "./service-config.ts";
