import { startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { type BenchDatabases, createDatabases } from "../../src/lib/databases.ts";
import { freePort } from "../../src/lib/free-port.ts";
import { spawnTarget, type Target } from "../../src/lib/processes.ts";
import { nodeArgs, serviceDir, serviceEnv } from "../../src/lib/target-env.ts";
import { type FaultProxy, startFaultProxy } from "../proxy/fault-proxy.ts";

export const PEERS = ["inventory", "invoice", "fulfillment"] as const;
export type Peer = (typeof PEERS)[number];
export const SERVICES = ["inventory", "invoice", "fulfillment", "order"] as const;
export type ServiceName = (typeof SERVICES)[number];
/** The two order replicas share the order database; the load is split across them. */
export const ORDER_REPLICAS = ["order-a", "order-b"] as const;
export type OrderReplica = (typeof ORDER_REPLICAS)[number];
export type ProcessName = Peer | OrderReplica;
/** Orders in flight per replica while capacity is calibrated (and the limit of a static run's default). */
export const ORDER_MAX_IN_FLIGHT = 8;
/** The order replicas' admission limit: the kit's adaptive one, a static N, or off. */
export type OrderAdmission = "adaptive" | "off" | number;

function admissionEnv(admission: OrderAdmission): Record<string, string> {
  if (typeof admission === "number")
    return { LOAD_ADMISSION: "static", LOAD_MAX_IN_FLIGHT: String(admission) };
  return { LOAD_ADMISSION: admission };
}

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

export interface ChaosStack {
  readonly databases: BenchDatabases;
  readonly nats: TestNatsServer;
  /** order -> peer gRPC, one proxy per peer (both order replicas dial it). */
  readonly peerProxies: Record<Peer, FaultProxy>;
  /** service -> PostgreSQL, one proxy per service database. */
  readonly dbProxies: Record<ServiceName, FaultProxy>;
  process(name: ProcessName): Target;
  /** Every running process, for metrics and RSS. */
  processes(): { name: ProcessName; target: Target }[];
  /** HTTP base URLs of the order replicas that are running (the client's load balancer list). */
  orderUrls(): string[];
  inventoryGrpc(): string;
  /** Starts a replica again after a kill (same database, same peers, new ports). */
  restart(name: ProcessName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The four services as real processes on PostgreSQL, a fresh database each (created and dropped
 * by bench's databases.ts), NATS of their own, order in two replicas, every order -> peer call and
 * every service -> PostgreSQL connection through a fault proxy.
 */
export async function startChaosStack(
  log: (line: string) => void,
  orderAdmission: OrderAdmission,
): Promise<ChaosStack> {
  const databases = await createDatabases(SERVICES);
  if (databases.kind !== "postgres") throw new Error("the chaos suite needs PostgreSQL");
  const nats = await startNatsServer();
  const running = new Map<ProcessName, Target>();
  const proxies: FaultProxy[] = [];
  const stopAll = async () => {
    for (const name of [...ORDER_REPLICAS, "fulfillment", "invoice", "inventory"] as const)
      await running.get(name)?.stop(5000);
    for (const p of proxies) await p.close();
    await nats.stop();
  };
  try {
    const dbProxies = {} as Record<ServiceName, FaultProxy>;
    const dbUrl = {} as Record<ServiceName, string>;
    for (const s of SERVICES) {
      const direct = new URL(databases.urls[s] as string);
      const proxy = await startFaultProxy({
        name: `${s}->postgres`,
        targetHost: direct.hostname,
        targetPort: Number(direct.port || 5432),
      });
      proxies.push(proxy);
      dbProxies[s] = proxy;
      direct.hostname = "127.0.0.1";
      direct.port = String(proxy.port);
      dbUrl[s] = direct.toString();
    }
    const grpcPort = {} as Record<ProcessName, number>;
    for (const name of [...PEERS, ...ORDER_REPLICAS]) grpcPort[name] = await freePort();
    const orderAddrs = ORDER_REPLICAS.map((r) => `127.0.0.1:${grpcPort[r]}`).join(",");
    const peerProxies = {} as Record<Peer, FaultProxy>;
    for (const p of PEERS) {
      const proxy = await startFaultProxy({ name: `order->${p}`, targetPort: grpcPort[p] });
      proxies.push(proxy);
      peerProxies[p] = proxy;
    }
    const envOf = (name: ProcessName) => {
      const service: ServiceName = name.startsWith("order") ? "order" : (name as Peer);
      const toPeers = service === "order";
      return serviceEnv({
        ...CHAOS_ENV,
        // The order replicas' admission limit (adaptive by default): past it, 503 + Retry-After
        // (the overload row). The peers keep the bench's setting (admission off).
        ...(toPeers ? admissionEnv(orderAdmission) : {}),
        GRPC_PORT: String(grpcPort[name]),
        DATABASE_URL: dbUrl[service],
        EVENT_BUS_URL: nats.url,
        INVENTORY_GRPC_ADDR: toPeers ? peerProxies.inventory.address : `127.0.0.1:${grpcPort.inventory}`,
        INVOICE_GRPC_ADDR: toPeers ? peerProxies.invoice.address : `127.0.0.1:${grpcPort.invoice}`,
        FULFILLMENT_GRPC_ADDR: toPeers
          ? peerProxies.fulfillment.address
          : `127.0.0.1:${grpcPort.fulfillment}`,
        ORDER_GRPC_ADDR: orderAddrs,
      });
    };
    const spawn = async (name: ProcessName) => {
      const service = name.startsWith("order") ? "order" : name;
      const target = await spawnTarget({
        name,
        nodeArgs: nodeArgs({ telemetry: true, name }),
        script: "src/main.ts",
        cwd: serviceDir(service),
        env: envOf(name),
        readyTimeoutMs: 90_000,
      });
      running.set(name, target);
      log(`  stack: ${name} ready in ${Math.round(target.readyMs)} ms (pid ${target.pid})`);
    };
    for (const name of [...PEERS, ...ORDER_REPLICAS]) await spawn(name);
    const get = (name: ProcessName) => {
      const t = running.get(name);
      if (!t) throw new Error(`${name} is not running`);
      return t;
    };
    const alive = (t: Target) => t.child.exitCode === null && t.child.signalCode === null;
    return {
      databases,
      nats,
      peerProxies,
      dbProxies,
      process: get,
      processes: () =>
        [...running.entries()].filter(([, t]) => alive(t)).map(([name, target]) => ({ name, target })),
      orderUrls: () =>
        ORDER_REPLICAS.map((r) => running.get(r))
          .filter((t): t is Target => t !== undefined && alive(t))
          .map((t) => `http://127.0.0.1:${t.httpPort}`),
      inventoryGrpc: () => `127.0.0.1:${get("inventory").grpcPort}`,
      async restart(name) {
        await spawn(name);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    await databases.drop();
    throw error;
  }
}
