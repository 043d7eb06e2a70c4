/** The variable that gives a peer's static gRPC address when Consul is off: `<PEER>_GRPC_ADDR`. */
export function peerAddressVariable(peer: string): string {
  return `${peer.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_GRPC_ADDR`;
}
