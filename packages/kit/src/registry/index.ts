export { ConsulRegistration, type ConsulRegistrationOptions } from "./consul-registration.ts";
export { type ConsulResolverOptions, registerConsulResolver } from "./consul-resolver.ts";
export { type DiscoveryTargetOptions, discoveryTarget } from "./discovery-target.ts";
export type { RegistryLogger } from "./registry-logger.ts";
export { ROUND_ROBIN_CHANNEL_OPTIONS } from "./round-robin.ts";
export { versionTargets } from "./version-filter.ts";
