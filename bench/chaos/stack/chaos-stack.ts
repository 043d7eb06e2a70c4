import { type ConsulTestAgent, startConsulTestAgent } from "@orderly/testkit/consul-agent";
import { startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { type BenchDatabases, createDatabases } from "../../src/lib/databases.ts";
import { freePort } from "../../src/lib/free-port.ts";
import { spawnTarget, type Target } from "../../src/lib/processes.ts";
import { nodeArgs, serviceDir, serviceEnv } from "../../src/lib/target-env.ts";
import { type FaultProxy, startFaultProxy } from "../proxy/fault-proxy.ts";
import {
  type Discovery,
  ORDER_REPLICAS,
  PEERS,
  type Peer,
  processNames,
  SERVICES,
  type ServiceName,
  serviceOf,
} from "./process-names.ts";

export {
  type Discovery,
  ORDER_REPLICAS,
  PEERS,
  type Peer,
  SERVICES,
  type ServiceName,
  serviceOf,
} from "./process-names.ts";
/** A process of the stack: a service name, or a service name and a suffix ("order-b", "inventory-b"). */
export type ProcessName = string;
/** Orders in flight per replica while capacity is calibrated (and the limit of a static run's default). */
export const ORDER_MAX_IN_FLIGHT = 8;
/** The order replicas' admission limit: the kit's adaptive one, a static N, or off. */
export type OrderAdmission = "adaptive" | "off" | number;

function admissionEnv(admission: OrderAdmission): Record<string, string> {
  if (typeof admission === "number")
    return { LOAD_ADMISSION: "static", LOAD_MAX_IN_FLIGHT: String(admission) };
  return { LOAD_ADMISSION: admission };
}
/** The version canary instances register (SERVICE_VERSION) and the order replicas split on (CANARY_VERSION). */
export const CANARY_VERSION = "2.0.0-canary";
/** Share of order's unflagged calls the canary gets while one is up. */
export const CANARY_SHARE = 0.25;

/**
 * What every process gets besides its ports and addresses: the gate off (the suite measures the
 * saga, not auth or rate limits), and a saga lease short enough that a dead replica's sagas are
 * taken over within the settle phase (the default 15 s would make every kill row wait 15 s).
 */
const CHAOS_ENV = {
  AUTH_DISABLED: "true",
  RATE_LIMIT_PER_MINUTE: "0",
  SAGA_LEASE_MS: "5000",
};

/**
 * With Consul: a SIGTERMed instance first goes critical and deregisters, then waits this long
 * before it drains, so callers' watches drop it before its listeners close (the kit's default is 2 s).
 */
const CONSUL_PROPAGATION_DELAY_MS = "1000";

export interface ChaosStack {
  readonly discovery: Discovery;
  readonly databases: BenchDatabases;
  readonly nats: TestNatsServer;
  /** The Consul-API test agent every process registers with and discovers through (consul stack only). */
  readonly consul: ConsulTestAgent | undefined;
  /** service -> PostgreSQL, one proxy per service database (shared by the service's processes). */
  readonly dbProxies: Record<ServiceName, FaultProxy>;
  /** order -> peer gRPC, one proxy per peer that both order replicas dial (static stack only). */
  peerProxy(peer: Peer): FaultProxy;
  /** The processes the stack keeps running (the row's crash check); extra ones are not in it. */
  names(): readonly ProcessName[];
  process(name: ProcessName): Target;
  /** Every running process, for metrics and RSS. */
  processes(): { name: ProcessName; target: Target }[];
  /** HTTP base URLs of the order replicas that are running (the client's load balancer list). */
  orderUrls(): string[];
  inventoryGrpc(): string;
  /**
   * Starts a process again after it stopped (same database, same gRPC port, new HTTP port);
   * `env` is added to (or, value undefined, removed from) what it normally gets.
   */
  restart(name: ProcessName, env?: Record<string, string | undefined>): Promise<Target>;
  /**
   * Starts a process outside the standing set (a canary) with its own gRPC port, `env` added to
   * (or, value undefined, removed from) what it normally gets; `stopExtra` SIGTERMs it and forgets it.
   */
  startExtra(name: ProcessName, env: Record<string, string | undefined>): Promise<Target>;
  stopExtra(name: ProcessName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The four services as real processes on PostgreSQL, a fresh database each (created and dropped
 * by bench's databases.ts), NATS of their own, order in two replicas, every service -> PostgreSQL
 * connection through a fault proxy. Static discovery: `<PEER>_GRPC_ADDR`, every order -> peer
 * call through a fault proxy. Consul discovery: every process registers with the Consul-API test
 * agent and finds its peers there, two instances of each service, CANARY_VERSION on the order
 * replicas (no canary runs until a row starts one).
 */
export async function startChaosStack(
  log: (line: string) => void,
  options: { orderAdmission: OrderAdmission; discovery: Discovery },
): Promise<ChaosStack> {
  const { discovery } = options;
  const databases = await createDatabases(SERVICES);
  if (databases.kind !== "postgres") throw new Error("the chaos suite needs PostgreSQL");
  const nats = await startNatsServer();
  const consul = discovery === "consul" ? await startConsulTestAgent() : undefined;
  const names = processNames(discovery);
  const running = new Map<ProcessName, Target>();
  const extras = new Set<ProcessName>();
  const proxies: FaultProxy[] = [];
  const stopAll = async () => {
    // Callers first, so nobody calls a peer that already left.
    const byRank = [...running.keys()].sort((a, b) => rank(a) - rank(b));
    for (const name of byRank) await running.get(name)?.stop(5000);
    for (const p of proxies) await p.close();
    await nats.stop();
    await consul?.stop();
  };
  try {
    const dbUrlVia = async (service: ServiceName) => {
      const direct = new URL(databases.urls[service] as string);
      const proxy = await startFaultProxy({
        name: `${service}->postgres`,
        targetHost: direct.hostname,
        targetPort: Number(direct.port || 5432),
      });
      proxies.push(proxy);
      direct.hostname = "127.0.0.1";
      direct.port = String(proxy.port);
      return { proxy, url: direct.toString() };
    };
    const dbProxies = {} as Record<ServiceName, FaultProxy>;
    const dbUrl = new Map<ProcessName, string>();
    for (const s of SERVICES) {
      const { proxy, url } = await dbUrlVia(s);
      dbProxies[s] = proxy;
      for (const name of names.filter((n) => serviceOf(n) === s)) dbUrl.set(name, url);
    }
    const grpcPort = new Map<ProcessName, number>();
    for (const name of names) grpcPort.set(name, await freePort());
    const orderAddrs = ORDER_REPLICAS.map((r) => `127.0.0.1:${grpcPort.get(r)}`).join(",");
    const peerProxies = {} as Record<Peer, FaultProxy>;
    if (discovery === "static") {
      for (const p of PEERS) {
        const proxy = await startFaultProxy({ name: `order->${p}`, targetPort: grpcPort.get(p) as number });
        proxies.push(proxy);
        peerProxies[p] = proxy;
      }
    }
    const discoveryEnv = (service: ServiceName): Record<string, string> => {
      if (consul) {
        return {
          CONSUL_HTTP_ADDR: consul.address,
          SHUTDOWN_PROPAGATION_DELAY_MS: CONSUL_PROPAGATION_DELAY_MS,
          ...(service === "order" ? { CANARY_VERSION, CANARY_SHARE: String(CANARY_SHARE) } : {}),
        };
      }
      const toPeers = service === "order";
      const direct = (p: Peer) => `127.0.0.1:${grpcPort.get(p)}`;
      return {
        INVENTORY_GRPC_ADDR: toPeers ? peerProxies.inventory.address : direct("inventory"),
        INVOICE_GRPC_ADDR: toPeers ? peerProxies.invoice.address : direct("invoice"),
        FULFILLMENT_GRPC_ADDR: toPeers ? peerProxies.fulfillment.address : direct("fulfillment"),
        ORDER_GRPC_ADDR: orderAddrs,
      };
    };
    const envOf = (name: ProcessName, extra: Record<string, string | undefined>) => {
      const service = serviceOf(name);
      return serviceEnv({
        ...CHAOS_ENV,
        // The order replicas' admission limit (adaptive by default): past it, 503 + Retry-After
        // (the overload row). The peers keep the bench's setting (admission off).
        ...(service === "order" ? admissionEnv(options.orderAdmission) : {}),
        GRPC_PORT: String(grpcPort.get(name)),
        DATABASE_URL: dbUrl.get(name),
        EVENT_BUS_URL: nats.url,
        ...discoveryEnv(service),
        ...extra,
      });
    };
    const spawn = async (name: ProcessName, extra: Record<string, string | undefined> = {}) => {
      const target = await spawnTarget({
        name,
        nodeArgs: nodeArgs({ telemetry: true, name }),
        script: "src/main.ts",
        cwd: serviceDir(serviceOf(name)),
        env: envOf(name, extra),
        readyTimeoutMs: 90_000,
      });
      running.set(name, target);
      log(`  stack: ${name} ready in ${Math.round(target.readyMs)} ms (pid ${target.pid})`);
      return target;
    };
    for (const name of names) await spawn(name);
    const get = (name: ProcessName) => {
      const t = running.get(name);
      if (!t) throw new Error(`${name} is not running`);
      return t;
    };
    const alive = (t: Target) => t.child.exitCode === null && t.child.signalCode === null;
    return {
      discovery,
      databases,
      nats,
      consul,
      dbProxies,
      peerProxy(peer) {
        const proxy = peerProxies[peer];
        if (!proxy)
          throw new Error(`no order->${peer} proxy: the ${discovery} stack dials registered addresses`);
        return proxy;
      },
      names: () => names,
      process: get,
      processes: () =>
        [...running.entries()].filter(([, t]) => alive(t)).map(([name, target]) => ({ name, target })),
      orderUrls: () =>
        ORDER_REPLICAS.map((r) => running.get(r))
          .filter((t): t is Target => t !== undefined && alive(t))
          .map((t) => `http://127.0.0.1:${t.httpPort}`),
      inventoryGrpc: () => `127.0.0.1:${get("inventory").grpcPort}`,
      restart: spawn,
      async startExtra(name, env) {
        grpcPort.set(name, await freePort());
        dbUrl.set(name, dbUrl.get(serviceOf(name)) as string);
        extras.add(name);
        return spawn(name, env);
      },
      async stopExtra(name) {
        if (!extras.has(name)) throw new Error(`${name} is not an extra process`);
        await running.get(name)?.stop(10_000);
        running.delete(name);
        extras.delete(name);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    await databases.drop();
    throw error;
  }
}

/** Stop order: order replicas (the callers) first, then fulfillment, invoice, inventory. */
function rank(name: ProcessName): number {
  return ["order", "fulfillment", "invoice", "inventory"].indexOf(serviceOf(name));
}
