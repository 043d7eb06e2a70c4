/**
 * How the order replicas find their peers: `<PEER>_GRPC_ADDR` through the fault proxies, or the
 * Consul-API test agent (two instances of every service, so one can restart while the other serves).
 */
export type Discovery = "static" | "consul";

export const PEERS = ["inventory", "invoice", "fulfillment"] as const;
export type Peer = (typeof PEERS)[number];
export const SERVICES = ["inventory", "invoice", "fulfillment", "order"] as const;
export type ServiceName = (typeof SERVICES)[number];
/** The two order replicas share the order database; the load is split across them. */
export const ORDER_REPLICAS = ["order-a", "order-b"] as const;

/** The processes a stack keeps running, in start order (peers before the order replicas). */
export function processNames(discovery: Discovery): readonly string[] {
  const peers = discovery === "consul" ? PEERS.flatMap((p) => [p, `${p}-b`]) : [...PEERS];
  return [...peers, ...ORDER_REPLICAS];
}

/** "order-b" -> "order", "inventory-canary" -> "inventory": the service a process runs. */
export function serviceOf(name: string): ServiceName {
  const service = name.split("-")[0] as ServiceName;
  if (!SERVICES.includes(service)) {
    throw new Error(`no service for process name "${name}"`);
  }
  return service;
}
