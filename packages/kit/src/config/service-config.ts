import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { z } from "zod";
import { type AuthConfig, parseAuthConfig } from "../auth/auth-config.ts";
import { ADMISSION_ENV_SHAPE, type AdmissionConfig, admissionFrom } from "./admission-config.ts";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { envTypes } from "./env-types.ts";
import { type GrpcTls, loadGrpcTlsConfig } from "./grpc-tls-config.ts";
import { LIMITS_ENV_SHAPE, type LimitsConfig, limitsFrom } from "./limits-config.ts";
import { deepFreeze, type Env, parseEnv } from "./parse-env.ts";
import { peerAddressVariable } from "./peer-address-variable.ts";
import { requirePeerAddresses } from "./required-peer-addresses.ts";

/** Config of another kit part read from the same environment (say the event bus's); throws ConfigError. */
export type ConfigSection = (env: Env) => unknown;

export interface ServiceConfigSpec<
  Peer extends string,
  Extra extends z.ZodRawShape,
  Sections extends Record<string, ConfigSection> = Record<never, ConfigSection>,
> {
  /** Service name: Consul service name, metrics and log label, default database directory. */
  name: string;
  version: string;
  defaultHttpPort: number;
  defaultGrpcPort: number;
  /** Services this one calls; each gets a `<PEER>_GRPC_ADDR` variable for static discovery. */
  peers?: readonly Peer[];
  /**
   * The service cannot work without its peers: with Consul off, every `<PEER>_GRPC_ADDR` is required
   * (see requirePeerAddresses).
   */
  requirePeers?: boolean;
  /** This service's own variables, keyed by variable name. */
  extra?: Extra;
  /** Rules across this service's own variables, checked once each has parsed; what they find fails the start. */
  checkExtra?: (extra: z.output<z.ZodObject<Extra>>) => ConfigIssue[];
  /**
   * Config of other kit parts this service uses, each parsed from the same environment into the
   * field of its key (`{ eventBus: parseEventBusConfig }` gives `config.eventBus`). Their variables
   * at fault are named with the standard ones.
   */
  sections?: Sections;
}

/** What loadServiceConfig returns for a spec: the standard config, `extra`, and one field per section. */
export type LoadedServiceConfig<
  Peer extends string,
  Extra extends z.ZodRawShape,
  Sections extends Record<string, ConfigSection>,
> = Readonly<
  ServiceConfig<Peer> & { extra: z.output<z.ZodObject<Extra>> } & {
    [K in keyof Sections]: ReturnType<Sections[K]>;
  }
>;

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
   * `LOAD_MAX_HEAP_USED_MB`, `LOAD_MAX_RSS_MB` (default 0: off). The gRPC server sheds on the same
   * limits (UNAVAILABLE, reason OVERLOADED; event-loop delay sustained over two samples, and not on
   * PGlite). `admission` caps the requests and unary calls worked on at once (`LOAD_ADMISSION`,
   * `LOAD_MAX_IN_FLIGHT`, `LOAD_MAX_GRPC_IN_FLIGHT`: see admission-config.ts; readiness unaffected).
   */
  load: {
    maxEventLoopDelayMs: number;
    maxHeapUsedBytes: number;
    maxRssBytes: number;
    admission: AdmissionConfig;
  };
  /**
   * Canary routing of this service's gRPC clients (Consul discovery only): `CANARY_VERSION` names
   * the version peers' canary instances register; `CANARY_SHARE` (0-1, default 0) is the share of
   * calls sent to them. Calls carrying `x-orderly-canary: 1` always go to the canary while one is up.
   */
  canary: { version: string; share: number } | undefined;
  /**
   * Retention of the kit tables (a background task, batches of `RETENTION_BATCH_SIZE`, every
   * `RETENTION_INTERVAL_SECONDS`, default 300): delivered outbox messages after
   * `RETENTION_OUTBOX_HOURS` (default 24), inbox ids after `RETENTION_INBOX_HOURS` (default 192:
   * the broker's stream keeps events 7 days, so a redelivery can come that late; one day of margin).
   * 0 hours keeps those rows for ever.
   */
  retention: { outboxDeliveredMs: number; inboxMs: number; intervalMs: number; batchSize: number };
  /** Rate limit, body and message size limits: see limits-config.ts. */
  limits: LimitsConfig;
  /** Bearer-token verification (AUTH_*); a service without a key source refuses to start. */
  auth: AuthConfig;
  /** `EXPOSE_API_DOCS` (default off): serve GET /openapi.json and gRPC reflection. */
  exposeApiDocs: boolean;
  /** GRPC_TLS_CA / _CERT / _KEY: TLS on every gRPC port and peer call, caller identity from certificates. */
  grpcTls: GrpcTls | undefined;
}

const MIB = 1024 * 1024;
const HOUR_MS = 3_600_000;

/**
 * Reads the standard variables every service honours (see ARCHITECTURE.md) plus the service's own,
 * once, into a frozen object. Throws ConfigError naming each variable at fault.
 */
export function loadServiceConfig<
  Peer extends string,
  Extra extends z.ZodRawShape = Record<never, never>,
  Sections extends Record<string, ConfigSection> = Record<never, ConfigSection>,
>(spec: ServiceConfigSpec<Peer, Extra, Sections>, env: Env): LoadedServiceConfig<Peer, Extra, Sections> {
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
    EXPOSE_API_DOCS: envTypes.flag(false),
    SERVICE_VERSION: envTypes.version(),
    CANARY_VERSION: envTypes.version(),
    CANARY_SHARE: envTypes.share(0),
    RETENTION_OUTBOX_HOURS: envTypes.nonNegativeInt(24),
    RETENTION_INBOX_HOURS: envTypes.nonNegativeInt(192),
    RETENTION_INTERVAL_SECONDS: envTypes.positiveInt(300),
    RETENTION_BATCH_SIZE: envTypes.positiveInt(1000),
    ...LIMITS_ENV_SHAPE,
    ...ADMISSION_ENV_SHAPE,
    ...peerShape,
    ...(spec.extra ?? {}),
  });
  // All parsed before any throws, so one start names every variable at fault.
  const issues: ConfigIssue[] = [];
  const raw = parsedOr(issues, () => parseEnv(schema, env) as Record<string, unknown>, {});
  const auth = parsedOr<AuthConfig>(issues, () => parseAuthConfig(env), { disabled: true });
  const grpcTls = parsedOr(issues, () => loadGrpcTlsConfig(env), undefined);
  const sections = Object.fromEntries(
    Object.entries(spec.sections ?? {}).map(([key, parse]) => [
      key,
      parsedOr(issues, () => parse(env), undefined),
    ]),
  );
  if (issues.length > 0) throw new ConfigError(issues);
  const limits = limitsFrom(raw as Parameters<typeof limitsFrom>[0]);
  const extraKeys = Object.keys(spec.extra ?? {});
  const advertiseAddress = (raw.SERVICE_ADDRESS as string | undefined) ?? hostname();
  const consulAddress = raw.CONSUL_HTTP_ADDR as string | undefined;
  const config = {
    service: spec.name,
    // SERVICE_VERSION: what a deployment calls this build (a canary's own tag); the package's otherwise.
    version: (raw.SERVICE_VERSION as string | undefined) ?? spec.version,
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
      admission: admissionFrom(raw as Parameters<typeof admissionFrom>[0]),
    },
    canary: raw.CANARY_VERSION
      ? { version: raw.CANARY_VERSION as string, share: raw.CANARY_SHARE as number }
      : undefined,
    retention: {
      outboxDeliveredMs: (raw.RETENTION_OUTBOX_HOURS as number) * HOUR_MS,
      inboxMs: (raw.RETENTION_INBOX_HOURS as number) * HOUR_MS,
      intervalMs: (raw.RETENTION_INTERVAL_SECONDS as number) * 1000,
      batchSize: raw.RETENTION_BATCH_SIZE as number,
    },
    limits,
    auth,
    exposeApiDocs: raw.EXPOSE_API_DOCS as boolean,
    grpcTls,
    extra: Object.fromEntries(extraKeys.map((key) => [key, raw[key]])) as z.output<z.ZodObject<Extra>>,
    ...sections,
  };
  // Only once each variable parses: a rule across them, or the peers' presence, means nothing before.
  if (spec.requirePeers) parsedOr(issues, () => requirePeerAddresses(config), undefined);
  issues.push(...(spec.checkExtra?.(config.extra) ?? []));
  if (issues.length > 0) throw new ConfigError(issues);
  // Deeply: `config.http.port = …` must fail like `config.service = …` does.
  return deepFreeze(config) as LoadedServiceConfig<Peer, Extra, Sections>;
}

/**
 * What `parse` returns; or, when it throws ConfigError, its issues added to `issues` and `fallback`
 * in its place (never used: the caller throws once every part is parsed). Any other error is a bug.
 */
function parsedOr<T>(issues: ConfigIssue[], parse: () => T, fallback: T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
    return fallback;
  }
}
