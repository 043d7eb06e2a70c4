import type { ServiceInstance } from "./consul-health-watch.ts";

/**
 * Which instances a Consul target wants, by the `version` they registered in service meta:
 * "consul://host:port/inventory?version=2.0.0" only that version (the canary),
 * "consul://host:port/inventory?not_version=2.0.0" every other one (stable). Without a query: all.
 */
export interface VersionFilter {
  readonly service: string;
  readonly version?: string;
  readonly notVersion?: string;
}

/** "inventory?version=2.0.0" (the path of a grpc-js target) -> the service name and its filter. */
export function parseVersionFilter(path: string): VersionFilter {
  const at = path.indexOf("?");
  if (at === -1) return { service: path };
  const query = new URLSearchParams(path.slice(at + 1));
  const version = query.get("version") ?? undefined;
  const notVersion = query.get("not_version") ?? undefined;
  return {
    service: path.slice(0, at),
    ...(version ? { version } : {}),
    ...(notVersion ? { notVersion } : {}),
  };
}

export function matchesVersion(filter: VersionFilter, instance: ServiceInstance): boolean {
  if (filter.version !== undefined && instance.version !== filter.version) return false;
  if (filter.notVersion !== undefined && instance.version === filter.notVersion) return false;
  return true;
}

/** The canary and stable targets for a "consul://host:port/<service>" target and a canary version. */
export function versionTargets(target: string, canaryVersion: string): { canary: string; stable: string } {
  if (!target.startsWith("consul://") || target.includes("?")) {
    throw new Error(
      `canary routing needs a plain Consul target (consul://host:port/<service>), got ${target}`,
    );
  }
  const version = encodeURIComponent(canaryVersion);
  return { canary: `${target}?version=${version}`, stable: `${target}?not_version=${version}` };
}
