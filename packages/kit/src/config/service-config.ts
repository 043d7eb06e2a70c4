import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import { envTypes } from "./env-types.ts";
import { deepFreeze, type Env, parseEnv } from "./parse-env.ts";

export interface ServiceConfigSpec<Peer extends string, Extra extends z.ZodRawShape> {
  /** Service name: Consul service name, metrics and log label, default database directory. */
  name: string;
  version: string;
  defaultHttpPort: number;
  defaultGrpcPort: number;
  /** Services this one calls; each gets a `<PEER>_GRPC_ADDR` variable for static discovery. */
  peers?: readonly Peer[];
  /** This service's own variables, keyed by variable name. */
  extra?: Extra;
}

export interface ServiceConfig<Peer extends string = string> {
  service: string;
  version: string;
  /** Unique per process: Consul service id, `instance` log field. */
  instanceId: string;
  http: { host: string; port: number };
  grpc: { host: string; port: number };
  databaseUrl: string;
  /** The address peers and Consul reach this instance at. */
  advertiseAddress: string;
  /** Present when CONSUL_HTTP_ADDR is set: Consul registration and discovery are on. */
  consul: { address: string; token: string | undefined } | undefined;
  /** Static peer addresses from `<PEER>_GRPC_ADDR`, used when Consul is off. */
  peers: Readonly<Record<Peer, string | undefined>>;
  log: { level: string; pretty: boolean };
  shutdown: { propagationDelayMs: number; drainTimeoutMs: number };
  /**
   * Load-shedding limits (@fastify/under-pressure); over one, sheddable requests get 503 and the
   * instance reports not ready. 0 turns a limit off. `LOAD_MAX_EVENT_LOOP_DELAY_MS` (default 1000),
   * `LOAD_MAX_HEAP_USED_MB`, `LOAD_MAX_RSS_MB` (default 0: off); `LOAD_MAX_IN_FLIGHT` (default 0: off)
   * caps sheddable HTTP requests in progress (503 at once past it, readiness unaffected).
   */
  load: { maxEventLoopDelayMs: number; maxHeapUsedBytes: number; maxRssBytes: number; maxInFlight: number };
}

const MIB = 1024 * 1024;

export function peerAddressVariable(peer: string): string {
  return `${peer.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_GRPC_ADDR`;
}

/**
 * Reads the standard variables every service honours (see ARCHITECTURE.md) plus the service's own,
 * once, into a frozen object. Throws ConfigError naming each variable at fault.
 */
export function loadServiceConfig<Peer extends string, Extra extends z.ZodRawShape = Record<never, never>>(
  spec: ServiceConfigSpec<Peer, Extra>,
  env: Env,
): Readonly<ServiceConfig<Peer> & { extra: z.output<z.ZodObject<Extra>> }> {
  const peers = spec.peers ?? [];
  const peerShape = Object.fromEntries(
    peers.map((peer) => [peerAddressVariable(peer), envTypes.grpcAddress()]),
  );
  const schema = z.object({
    HTTP_HOST: z.string().default("0.0.0.0"),
    HTTP_PORT: envTypes.port(spec.defaultHttpPort),
    GRPC_HOST: z.string().default("0.0.0.0"),
    GRPC_PORT: envTypes.port(spec.defaultGrpcPort),
    DATABASE_URL: envTypes.databaseUrl(`pglite:.data/${spec.name}`),
    SERVICE_ADDRESS: z.string().optional(),
    INSTANCE_ID: z.string().optional(),
    CONSUL_HTTP_ADDR: envTypes.httpAddress(),
    CONSUL_HTTP_TOKEN: z.string().optional(),
    LOG_LEVEL: envTypes.logLevel(),
    LOG_PRETTY: envTypes.flag(false),
    SHUTDOWN_PROPAGATION_DELAY_MS: envTypes.nonNegativeInt(2000),
    SHUTDOWN_DRAIN_TIMEOUT_MS: envTypes.positiveInt(10000),
    LOAD_MAX_EVENT_LOOP_DELAY_MS: envTypes.nonNegativeInt(1000),
    LOAD_MAX_HEAP_USED_MB: envTypes.nonNegativeInt(0),
    LOAD_MAX_RSS_MB: envTypes.nonNegativeInt(0),
    LOAD_MAX_IN_FLIGHT: envTypes.nonNegativeInt(0),
    ...peerShape,
    ...(spec.extra ?? {}),
  });
  const raw = parseEnv(schema, env) as Record<string, unknown>;
  const extraKeys = Object.keys(spec.extra ?? {});
  const advertiseAddress = (raw.SERVICE_ADDRESS as string | undefined) ?? hostname();
  const consulAddress = raw.CONSUL_HTTP_ADDR as string | undefined;
  const config = {
    service: spec.name,
    version: spec.version,
    instanceId:
      (raw.INSTANCE_ID as string | undefined) ??
      `${spec.name}-${advertiseAddress}-${randomUUID().slice(0, 8)}`,
    http: { host: raw.HTTP_HOST as string, port: raw.HTTP_PORT as number },
    grpc: { host: raw.GRPC_HOST as string, port: raw.GRPC_PORT as number },
    databaseUrl: raw.DATABASE_URL as string,
    advertiseAddress,
    consul: consulAddress
      ? { address: consulAddress, token: raw.CONSUL_HTTP_TOKEN as string | undefined }
      : undefined,
    peers: Object.fromEntries(peers.map((peer) => [peer, raw[peerAddressVariable(peer)]])) as Record<
      Peer,
      string | undefined
    >,
    log: { level: raw.LOG_LEVEL as string, pretty: raw.LOG_PRETTY as boolean },
    shutdown: {
      propagationDelayMs: raw.SHUTDOWN_PROPAGATION_DELAY_MS as number,
      drainTimeoutMs: raw.SHUTDOWN_DRAIN_TIMEOUT_MS as number,
    },
    load: {
      maxEventLoopDelayMs: raw.LOAD_MAX_EVENT_LOOP_DELAY_MS as number,
      maxHeapUsedBytes: (raw.LOAD_MAX_HEAP_USED_MB as number) * MIB,
      maxRssBytes: (raw.LOAD_MAX_RSS_MB as number) * MIB,
      maxInFlight: raw.LOAD_MAX_IN_FLIGHT as number,
    },
    extra: Object.fromEntries(extraKeys.map((key) => [key, raw[key]])) as z.output<z.ZodObject<Extra>>,
  };
  // Deeply: `config.http.port = …` must fail like `config.service = …` does.
  return deepFreeze(config);
}
