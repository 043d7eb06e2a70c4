import { isIPv4, isIPv6 } from "node:net";
import { peerAddressVariable } from "../config/index.ts";

export interface DiscoveryTargetOptions {
  /** Consul's HTTP API ("http://host:port" or "host:port"); wins over staticAddress when set. */
  consulUrl?: string;
  /** `<PEER>_GRPC_ADDR`: "host:port", or several separated by commas. */
  staticAddress?: string;
  /** The peer's service name, as it registers in Consul. */
  service: string;
}

/**
 * The grpc-js target for a peer: "consul://host:port/<service>" (resolved by registerConsulResolver)
 * when Consul is configured, else a target for the static address: "ipv4:a:1,b:2" / "ipv6:[::1]:1,…"
 * for IP literals (one or many), "dns:host:port" for one host name.
 */
export function discoveryTarget(options: DiscoveryTargetOptions): string {
  if (options.consulUrl) {
    const raw = options.consulUrl.includes("://") ? options.consulUrl : `http://${options.consulUrl}`;
    const url = new URL(raw);
    if (url.protocol !== "http:") {
      throw new Error(
        `consul discovery for "${options.service}" needs an http:// Consul address, got ${options.consulUrl}`,
      );
    }
    return `consul://${url.host}/${options.service}`;
  }
  if (options.staticAddress?.trim()) return staticTarget(options.service, options.staticAddress);
  throw new Error(
    `no address for peer "${options.service}": set CONSUL_HTTP_ADDR for Consul discovery or ${peerAddressVariable(options.service)} for a static address`,
  );
}

function staticTarget(service: string, address: string): string {
  const parts = address
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const [first] = parts;
  if (parts.length === 1 && first !== undefined && /^(dns|unix|unix-abstract):/.test(first)) return first;
  const bare = parts.map((p) => p.replace(/^ipv[46]:/, ""));
  if (bare.every((p) => isIPv4(hostOf(p)))) return `ipv4:${bare.join(",")}`;
  if (bare.every((p) => p.startsWith("[") && isIPv6(hostOf(p)))) return `ipv6:${bare.join(",")}`;
  if (bare.length === 1) return `dns:${bare[0]}`;
  throw new Error(
    `${peerAddressVariable(service)}: several addresses must all be IPv4 (or all bracketed IPv6) literals; ` +
      `for host names give one name that resolves to every instance, or use Consul. Got ${address}`,
  );
}

/** "1.2.3.4:50051" -> "1.2.3.4"; "[::1]:50051" -> "::1". */
function hostOf(hostPort: string): string {
  if (hostPort.startsWith("[")) return hostPort.slice(1, hostPort.indexOf("]"));
  const colon = hostPort.lastIndexOf(":");
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}
