import { ConfigError } from "./config-error.ts";
import { peerAddressVariable } from "./peer-address-variable.ts";
import type { ServiceConfig } from "./service-config.ts";

/**
 * A service that cannot work without its peers calls this after loading its config: with Consul off,
 * a peer is found only through `<PEER>_GRPC_ADDR`, so a missing one is a config error at start (exit
 * 78, every such variable named) rather than a stack trace from the first client built after the
 * database was opened. With Consul on, discovery finds the peers and nothing is required.
 */
export function requirePeerAddresses<Peer extends string>(
  config: Pick<ServiceConfig<Peer>, "consul" | "peers">,
): void {
  if (config.consul) return;
  const missing = (Object.keys(config.peers) as Peer[]).filter((peer) => !config.peers[peer]);
  if (missing.length === 0) return;
  throw new ConfigError(
    missing.map((peer) => ({
      variable: peerAddressVariable(peer),
      expected: `the ${peer} service's gRPC address as host:port (or set CONSUL_HTTP_ADDR for Consul discovery)`,
    })),
  );
}
