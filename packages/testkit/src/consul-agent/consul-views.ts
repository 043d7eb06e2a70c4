import type { CheckStatus } from "./consul-agent.types.ts";
import type { CheckRecord, ConsulCatalog, ServiceRecord } from "./consul-catalog.ts";

/** The single node this agent pretends to be (a one-node dev cluster that is its own leader). */
export interface AgentNode {
  id: string;
  name: string;
  address: string;
  datacenter: string;
}

type Json = Record<string, unknown>;

const proxy = { Mode: "", MeshGateway: {}, Expose: {} };
const weights = { Passing: 1, Warning: 1 };

/** Consul lists itself as service "consul" on the server port; clients see it in the catalogue. */
function consulService(): ServiceRecord {
  return {
    id: "consul",
    name: "consul",
    address: "",
    port: 8300,
    tags: [],
    meta: {},
    createIndex: 3,
    modifyIndex: 3,
  };
}

function servicesNamed(catalog: ConsulCatalog, name: string, tags: readonly string[]): ServiceRecord[] {
  const all = name === "consul" ? [consulService(), ...catalog.services()] : catalog.services();
  return all.filter((s) => s.name === name && tags.every((t) => s.tags.includes(t)));
}

/** The node's identity, as every node view starts (a catalogue entry flattens it beside the service). */
function nodeIdentity(node: AgentNode): Json {
  return { ID: node.id, Node: node.name, Address: node.address, Datacenter: node.datacenter };
}

function nodeJson(node: AgentNode): Json {
  return {
    ...nodeIdentity(node),
    TaggedAddresses: { lan: node.address, lan_ipv4: node.address, wan: node.address, wan_ipv4: node.address },
    Meta: { "consul-network-segment": "" },
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

function serfHealth(node: AgentNode): Json {
  return {
    Node: node.name,
    CheckID: "serfHealth",
    Name: "Serf Health Status",
    Status: "passing" satisfies CheckStatus,
    Notes: "",
    Output: "Agent alive and reachable",
    ServiceID: "",
    ServiceName: "",
    ServiceTags: [],
    Type: "",
    Interval: "",
    Timeout: "",
    ExposedPort: 0,
    Definition: {},
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

function checkJson(node: AgentNode, check: CheckRecord): Json {
  const def = check.definition;
  return {
    Node: node.name,
    CheckID: def.checkId,
    Name: def.name,
    Status: check.status,
    Notes: def.notes,
    Output: check.output,
    ServiceID: check.serviceId,
    ServiceName: check.serviceName,
    ServiceTags: check.serviceTags,
    Type: def.type,
    Interval: "",
    Timeout: "",
    ExposedPort: 0,
    Definition: {},
    CreateIndex: check.createIndex,
    ModifyIndex: check.modifyIndex,
  };
}

/** A service instance as the agent lists it; health entries and the agent's own view add to it. */
function agentServiceJson(service: ServiceRecord): Json {
  return {
    ID: service.id,
    Service: service.name,
    Tags: service.tags,
    Address: service.address,
    Meta: service.meta,
    Port: service.port,
    Weights: weights,
    EnableTagOverride: false,
  };
}

function serviceJson(service: ServiceRecord): Json {
  return {
    ...agentServiceJson(service),
    Proxy: proxy,
    Connect: {},
    CreateIndex: service.createIndex,
    ModifyIndex: service.modifyIndex,
  };
}

/** GET /v1/health/service/:name: one { Node, Service, Checks } entry per instance. */
export function healthServiceView(
  catalog: ConsulCatalog,
  node: AgentNode,
  name: string,
  filter: { passing: boolean; tags: readonly string[] },
): Json[] {
  const entries = servicesNamed(catalog, name, filter.tags).map((service) => {
    const checks = catalog.checksOf(service.id);
    return { service, checks, all: [serfHealth(node), ...checks.map((c) => checkJson(node, c))] };
  });
  return entries
    .filter((e) => !filter.passing || e.checks.every((c) => c.status === "passing"))
    .map((e) => ({ Node: nodeJson(node), Service: serviceJson(e.service), Checks: e.all }));
}

/** GET /v1/catalog/service/:name: flat entries, node fields plus Service* fields. */
export function catalogServiceView(
  catalog: ConsulCatalog,
  node: AgentNode,
  name: string,
  tags: readonly string[],
): Json[] {
  return servicesNamed(catalog, name, tags).map((s) => ({
    ...nodeIdentity(node),
    TaggedAddresses: { lan: node.address, wan: node.address },
    NodeMeta: { "consul-network-segment": "" },
    ServiceKind: "",
    ServiceID: s.id,
    ServiceName: s.name,
    ServiceTags: s.tags,
    ServiceAddress: s.address,
    ServiceWeights: weights,
    ServiceMeta: s.meta,
    ServicePort: s.port,
    ServiceEnableTagOverride: false,
    ServiceProxy: proxy,
    ServiceConnect: {},
    CreateIndex: s.createIndex,
    ModifyIndex: s.modifyIndex,
  }));
}

/** GET /v1/catalog/services: service name to the union of its instances' tags. */
export function catalogServicesView(catalog: ConsulCatalog): Record<string, string[]> {
  const out: Record<string, string[]> = { consul: [] };
  for (const s of catalog.services()) {
    const tags = new Set([...(out[s.name] ?? []), ...s.tags]);
    out[s.name] = [...tags];
  }
  return out;
}

/** GET /v1/agent/services: this agent's services keyed by ID (Consul's own service is not listed). */
export function agentServicesView(catalog: ConsulCatalog, node: AgentNode): Record<string, Json> {
  return Object.fromEntries(
    catalog.services().map((s) => [s.id, { ...agentServiceJson(s), Datacenter: node.datacenter }]),
  );
}

/** GET /v1/agent/checks: this agent's checks keyed by CheckID. */
export function agentChecksView(catalog: ConsulCatalog, node: AgentNode): Record<string, Json> {
  return Object.fromEntries(catalog.checks().map((c) => [c.definition.checkId, checkJson(node, c)]));
}
