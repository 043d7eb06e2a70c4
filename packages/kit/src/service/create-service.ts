import type { DescService } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { type Authenticator, createAuthenticator, type VerifierOptions } from "../auth/token-verifier.ts";
import type { ServiceConfig } from "../config/index.ts";
import { type Database, openDatabase } from "../db/index.ts";
import {
  bearerGuard,
  type Client,
  type ClientCertificatePolicy,
  callerGuard,
  clientTls,
  createGrpcClient,
  type GrpcClientOptions,
  GrpcServer,
} from "../grpc/index.ts";
import { Health, Lifecycle } from "../health/index.ts";
import {
  closeHttp,
  compileDeferredValidators,
  createHttpServer,
  listenHttp,
  rateLimiterOf,
} from "../http/index.ts";
import { createLogger, type Logger } from "../log/index.ts";
import { createMetrics, type Metrics } from "../metrics/index.ts";
import {
  ConsulRegistration,
  discoveryTarget,
  ROUND_ROBIN_CHANNEL_OPTIONS,
  registerConsulResolver,
  versionTargets,
} from "../registry/index.ts";
import { shutdownTelemetry } from "../tracing/index.ts";
import type { BackgroundTask } from "./background-task.ts";
import { connectRateLimitStore } from "./rate-limit-store.ts";
import { releaseStartupMemory } from "./release-startup-memory.ts";
import { retentionTask } from "./retention.task.ts";
import { StartupPhases } from "./startup-phases.ts";

export interface ServiceOptions<Peer extends string> {
  config: ServiceConfig<Peer>;
  /** Absolute path to the service's versioned SQL migrations; opens and migrates the database. */
  migrationsFolder?: string;
  openapi?: { title: string; description?: string };
  /** Overrides for tests: a logger writing elsewhere, no default runtime metrics. */
  log?: Logger;
  collectDefaultMetrics?: boolean;
  /** Key-cache tuning for bearer-token verification (tests shorten it to see rotations at once). */
  auth?: VerifierOptions;
  /** With GRPC_TLS_*: whether callers must present a certificate (default "required"). */
  clientCertificate?: ClientCertificatePolicy;
}

export interface StartedAddresses {
  httpPort: number;
  grpcPort: number;
}

/**
 * A running Orderly service: every adapter a composition root needs, built in the right order, and
 * the one owner of startup and graceful shutdown.
 */
export class Service<Peer extends string = string, DB = unknown> {
  readonly config: ServiceConfig<Peer>;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly lifecycle = new Lifecycle();
  readonly health: Health;
  readonly http: FastifyInstance;
  readonly grpc: GrpcServer;
  /** Verifies bearer tokens for HTTP routes and RPCs that declare a scope. */
  readonly authenticator: Authenticator;
  readonly #database: Database<DB> | undefined;
  readonly #background: BackgroundTask[] = [];
  /** Tasks whose start() was called (even if it then failed): exactly these are stopped. */
  readonly #startedTasks: BackgroundTask[] = [];
  readonly #clients: { close(): void }[] = [];
  /** Rate-limit counters shared by replicas, when REDIS_URL is set. */
  readonly #redis: Redis | undefined;
  #registration: ConsulRegistration | undefined;
  #addresses: StartedAddresses | undefined;
  /** Settles (never rejects) once start() has finished, either way. */
  #starting: Promise<void> | undefined;
  #served = false;
  #stopping: Promise<void> | undefined;
  readonly #phases: StartupPhases;
  /** Set by stopOnSignals(): this service is its process, so process-wide start-up memory is its to release. */
  #ownsProcess = false;

  private constructor(
    options: ServiceOptions<Peer>,
    log: Logger,
    database: Database<DB> | undefined,
    phases: StartupPhases,
  ) {
    const { config } = options;
    this.#phases = phases;
    this.config = config;
    this.log = log;
    this.#database = database;
    const { perMinute, redisUrl } = config.limits.rateLimit;
    const redis = perMinute > 0 && redisUrl ? connectRateLimitStore(redisUrl, log) : undefined;
    this.#redis = redis;
    this.metrics = createMetrics({
      service: config.service,
      version: config.version,
      collectDefault: options.collectDefaultMetrics ?? true,
    });
    this.health = new Health({
      lifecycle: this.lifecycle,
      service: config.service,
      version: config.version,
      instance: config.instanceId,
      checks: database ? [database.check] : [],
    });
    this.authenticator = createAuthenticator(config.auth, options.auth);
    if (!this.authenticator.enabled) {
      log.warn(
        "AUTH_DISABLED=true: bearer tokens are not checked; every caller may do everything (never do this on a network others reach)",
      );
    }
    this.http = createHttpServer({
      log,
      metrics: this.metrics,
      health: this.health,
      service: config.service,
      version: config.version,
      loadShedding: config.load,
      authenticator: this.authenticator,
      exposeApiDocs: config.exposeApiDocs,
      bodyLimitBytes: config.limits.httpBodyLimitBytes,
      rateLimit: { perMinute: config.limits.rateLimit.perMinute, ...(redis ? { redis } : {}) },
      ...(options.openapi ? { openapi: options.openapi } : {}),
    });
    const limiter = rateLimiterOf(this.http);
    this.grpc = new GrpcServer({
      log,
      metrics: this.metrics,
      health: this.health,
      service: config.service,
      reflection: config.exposeApiDocs,
      // Service identity (the certificate) first, then the bearer token's scope.
      guards: [
        callerGuard({ tls: config.grpcTls !== undefined, authDisabled: config.auth.disabled }),
        bearerGuard(this.authenticator),
      ],
      tls: config.grpcTls,
      ...(options.clientCertificate ? { clientCertificate: options.clientCertificate } : {}),
      loadShedding: {
        // PGlite runs every query on the event loop: there the delay is the database's own work,
        // not overload, and shedding on it would refuse calls it serves a moment later.
        maxEventLoopDelayMs: database?.kind === "pglite" ? 0 : config.load.maxEventLoopDelayMs,
        maxHeapUsedBytes: config.load.maxHeapUsedBytes,
        maxRssBytes: config.load.maxRssBytes,
      },
      admission: config.load.admission.grpc,
      maxReceiveMessageBytes: config.limits.grpcMaxMessageBytes,
      ...(limiter ? { limiter } : {}),
    });
    // Every database holds the kit tables; their expired rows are pruned in the background.
    if (database) {
      this.#background.push(
        retentionTask({ db: database.db, retention: config.retention, log, metrics: this.metrics }),
      );
    }
    phases.end("build");
  }

  /** Builds the service; opens and migrates its database first, so a bad schema fails before listening. */
  static async create<Peer extends string, DB = unknown>(
    options: ServiceOptions<Peer>,
  ): Promise<Service<Peer, DB>> {
    const { config } = options;
    const phases = new StartupPhases();
    const log =
      options.log ??
      createLogger({
        service: config.service,
        version: config.version,
        instance: config.instanceId,
        level: config.log.level,
        pretty: config.log.pretty,
      });
    phases.end("logger");
    let database: Database<DB> | undefined;
    try {
      if (options.migrationsFolder) {
        database = await openDatabase<DB>({
          url: config.databaseUrl,
          migrationsFolder: options.migrationsFolder,
          log,
        });
        phases.end("database");
        await database.migrate();
        phases.end("migrate");
      }
      return new Service<Peer, DB>(options, log, database, phases);
    } catch (error) {
      // Whatever failed (migrations, building an adapter), the database opened above is ours to close.
      await database
        ?.close()
        .catch((closeError: unknown) => log.error({ err: closeError }, "database close failed"));
      throw error;
    }
  }

  /** The service's database; present when created with `migrationsFolder`. */
  get database(): Database<DB> {
    if (!this.#database) throw new Error(`${this.config.service} was created without a database`);
    return this.#database;
  }

  get addresses(): StartedAddresses {
    if (!this.#addresses) throw new Error(`${this.config.service} has not started`);
    return this.#addresses;
  }

  /** A typed client for a peer, found through Consul when configured, else `<PEER>_GRPC_ADDR`. */
  client<S extends DescService>(
    service: S,
    peer: Peer,
    options: Partial<Omit<GrpcClientOptions, "peer" | "log" | "metrics">> = {},
  ): Client<S> {
    const consul = this.config.consul;
    if (consul) registerConsulResolver({ log: this.log });
    const target =
      options.target ??
      discoveryTarget({
        service: peer,
        ...(consul ? { consulUrl: consul.address } : {}),
        ...(this.config.peers[peer] ? { staticAddress: this.config.peers[peer] } : {}),
      });
    const canary = this.#canaryTargets(peer, target, options.target);
    // With GRPC_TLS_*: TLS to the peer, this service's certificate as the caller identity.
    const tls = this.config.grpcTls ? clientTls(this.config.grpcTls, peer) : undefined;
    const client = createGrpcClient(service, {
      ...(tls ? { credentials: tls.credentials } : {}),
      ...options,
      target: canary?.stable ?? target,
      ...(canary ? { canary: { target: canary.canary, share: canary.share } } : {}),
      peer,
      log: this.log,
      metrics: this.metrics,
      channelOptions: { ...ROUND_ROBIN_CHANNEL_OPTIONS, ...tls?.channelOptions, ...options.channelOptions },
    });
    this.#clients.push(client);
    return client;
  }

  /** CANARY_VERSION splits a Consul-discovered peer into stable and canary channels. */
  #canaryTargets(
    peer: string,
    target: string,
    explicitTarget: string | undefined,
  ): { stable: string; canary: string; share: number } | undefined {
    const canary = this.config.canary;
    if (!canary || explicitTarget !== undefined) return undefined;
    if (!target.startsWith("consul://")) {
      this.log.warn(
        { peer, canaryVersion: canary.version },
        "CANARY_VERSION needs Consul discovery (instances register their version there); ignored for this peer",
      );
      return undefined;
    }
    return { ...versionTargets(target, canary.version), share: canary.share };
  }

  /** Background work started after the listeners and stopped after they drain. Add before start(). */
  addBackground(task: BackgroundTask): void {
    if (this.#starting || this.#stopping) {
      throw new Error(`addBackground(${task.name}) after start(): add background tasks before starting`);
    }
    this.#background.push(task);
  }

  /**
   * Listens (gRPC, then HTTP), starts the background tasks, moves to SERVING and registers in Consul.
   * If any step fails, or stop() is called meanwhile, everything already opened is closed again
   * (listeners, started tasks, clients, database) and the returned promise rejects. A service starts
   * at most once.
   */
  start(): Promise<StartedAddresses> {
    const name = this.config.service;
    if (this.#stopping) return Promise.reject(new Error(`${name} is stopping or stopped; it cannot start`));
    if (this.#starting) return Promise.reject(new Error(`${name}: start() was already called`));
    const attempt = this.#start();
    this.#starting = attempt.then(
      () => undefined,
      () => undefined,
    );
    return attempt.catch(async (error: unknown) => {
      if (!this.#stopping) {
        this.log.error({ err: error }, `${name} failed to start; closing what was opened`);
      }
      await this.stop("start failed").catch(() => undefined);
      throw error;
    });
  }

  async #start(): Promise<StartedAddresses> {
    const { config } = this;
    const phases = this.#phases;
    // Routes and handlers the composition root added between create() and start().
    phases.end("wire");
    const grpcPort = await this.grpc.listen(config.grpc.host, config.grpc.port);
    phases.end("grpc");
    this.#throwIfStopping();
    const httpPort = await listenHttp(this.http, config.http.host, config.http.port);
    phases.end("http");
    this.#addresses = { httpPort, grpcPort };
    for (const task of this.#background) {
      this.#throwIfStopping();
      this.#startedTasks.push(task);
      await task.start();
    }
    phases.end("background");
    this.#throwIfStopping();
    this.lifecycle.moveTo("SERVING");
    this.#served = true;
    this.health.startPolling();
    if (config.consul) {
      this.#registration = new ConsulRegistration({
        consulUrl: config.consul.address,
        ...(config.consul.token ? { token: config.consul.token } : {}),
        service: {
          id: config.instanceId,
          name: config.service,
          address: config.advertiseAddress,
          grpcPort,
          httpPort,
          version: config.version,
        },
        lifecycle: this.lifecycle,
        health: this.health,
        log: this.log,
      });
      await this.#registration.start();
      phases.end("consul");
      this.#throwIfStopping();
    }
    this.log.info(
      { httpPort, grpcPort, consul: Boolean(config.consul), ...phases.summary() },
      `${config.service} serving`,
    );
    setImmediate(() => this.#afterServing()).unref();
    return this.#addresses;
  }

  /**
   * Start-up work that need not delay readiness: the HTTP validators fastify would have compiled
   * before listening (http/deferred-validators.ts; a route's first request compiles its own if it
   * comes sooner), then, in a process this service owns, the start-up memory release. A schema that
   * fails to compile is logged here and fails its route's requests with a 500.
   */
  #afterServing(): void {
    try {
      compileDeferredValidators(this.http);
    } catch (error) {
      this.log.error({ err: error }, `${this.config.service}: an HTTP route schema failed to compile`);
    }
    // Not in a process that hosts other things (a test runner, a tool starting a service in-process).
    if (this.#ownsProcess) releaseStartupMemory();
  }

  #throwIfStopping(): void {
    if (this.#stopping) throw new Error(`${this.config.service} was stopped while starting`);
  }

  /**
   * Graceful shutdown: not-ready and Consul critical first, a short wait so load balancers and
   * peers notice, then drain in-flight HTTP and gRPC, stop background work, close clients, leave
   * Consul, close the database, flush telemetry. Every step runs even if an earlier one failed; the
   * promise rejects at the end if draining or closing the database failed. Safe to call twice (the
   * second call waits for the first), before start() (it releases the database), and during start()
   * (start() then rejects once everything is closed).
   */
  stop(reason = "stop requested"): Promise<void> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason: string): Promise<void> {
    const { service, shutdown } = this.config;
    const failures: unknown[] = [];
    const attempt = async (step: string, run: () => unknown, fatal = true): Promise<void> => {
      try {
        await run();
      } catch (error) {
        if (fatal) failures.push(error);
        this.log.error({ err: error, step }, `${service}: ${step} failed during shutdown`);
      }
    };
    this.log.info({ reason }, `${service} draining`);
    // Readiness, gRPC health and the Consul check all follow the lifecycle: they flip here, at once
    // (synchronously; a listener that throws must not cancel the rest of the shutdown).
    await attempt("lifecycle DRAINING", () => this.lifecycle.moveTo("DRAINING"), false);
    await this.#starting;
    this.health.stopPolling();
    const registration = this.#registration;
    if (registration)
      await attempt("consul check update", () => registration.markCritical(`draining: ${reason}`), false);
    // Only a service that was serving has load balancers and peers to tell.
    if (this.#served && shutdown.propagationDelayMs > 0) await delay(shutdown.propagationDelayMs);
    this.log.info({ grpcInFlight: this.grpc.inFlight }, `${service} closing listeners`);
    await Promise.all([
      attempt("HTTP drain", () => closeHttp(this.http, shutdown.drainTimeoutMs)),
      attempt("gRPC drain", () => this.grpc.drain(shutdown.drainTimeoutMs)),
    ]);
    for (const task of [...this.#startedTasks].reverse()) {
      await attempt(`background task ${task.name} stop`, () => task.stop(), false);
    }
    for (const client of this.#clients) await attempt("client close", () => client.close(), false);
    const redis = this.#redis;
    if (redis)
      await attempt("rate-limit store close", () => redis.quit().catch(() => redis.disconnect()), false);
    if (registration) await attempt("consul deregistration", () => registration.stop(), false);
    const database = this.#database;
    if (database) await attempt("database close", () => database.close());
    await attempt("lifecycle STOPPED", () => this.lifecycle.moveTo("STOPPED"), false);
    const telemetry = await shutdownTelemetry();
    this.log.info({ telemetry: telemetry.status }, `${service} stopped`);
    this.log.flush?.();
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${service}: graceful stop failed`);
  }

  /**
   * SIGTERM/SIGINT: graceful stop, then exit 0 (1 if the stop failed). A second signal forces exit
   * (130) at once. Install it before start() so a signal during startup also stops gracefully.
   * It also marks the service as owning its process: once serving, it releases start-up memory
   * (release-startup-memory.ts).
   */
  stopOnSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    this.#ownsProcess = true;
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        this.log.warn({ signal }, "second signal: forcing exit");
        this.log.flush?.();
        exit(130);
        return;
      }
      received = true;
      this.stop(signal).then(
        () => exit(0),
        (error: unknown) => {
          this.log.error({ err: error }, "graceful stop failed");
          exit(1);
        },
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
