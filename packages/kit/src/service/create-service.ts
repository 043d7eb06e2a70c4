import type { DescService } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import type { ServiceConfig } from "../config/index.ts";
import { type Database, openDatabase } from "../db/index.ts";
import { type Client, createGrpcClient, type GrpcClientOptions, GrpcServer } from "../grpc/index.ts";
import { Health, Lifecycle } from "../health/index.ts";
import { closeHttp, createHttpServer, listenHttp } from "../http/index.ts";
import { createLogger, type Logger } from "../log/index.ts";
import { createMetrics, type Metrics } from "../metrics/index.ts";
import {
  ConsulRegistration,
  discoveryTarget,
  ROUND_ROBIN_CHANNEL_OPTIONS,
  registerConsulResolver,
} from "../registry/index.ts";
import { shutdownTelemetry } from "../tracing/index.ts";
import type { BackgroundTask } from "./background-task.ts";

export interface ServiceOptions<Peer extends string> {
  config: ServiceConfig<Peer>;
  /** Absolute path to the service's versioned SQL migrations; opens and migrates the database. */
  migrationsFolder?: string;
  openapi?: { title: string; description?: string };
  /** Overrides for tests: a logger writing elsewhere, no default runtime metrics. */
  log?: Logger;
  collectDefaultMetrics?: boolean;
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
  readonly #database: Database<DB> | undefined;
  readonly #background: BackgroundTask[] = [];
  readonly #clients: { close(): void }[] = [];
  #registration: ConsulRegistration | undefined;
  #addresses: StartedAddresses | undefined;
  #stopping: Promise<void> | undefined;

  private constructor(options: ServiceOptions<Peer>, log: Logger, database: Database<DB> | undefined) {
    const { config } = options;
    this.config = config;
    this.log = log;
    this.#database = database;
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
    this.http = createHttpServer({
      log,
      metrics: this.metrics,
      health: this.health,
      service: config.service,
      version: config.version,
      ...(options.openapi ? { openapi: options.openapi } : {}),
    });
    this.grpc = new GrpcServer({ log, metrics: this.metrics, health: this.health, service: config.service });
  }

  /** Builds the service; opens and migrates its database first, so a bad schema fails before listening. */
  static async create<Peer extends string, DB = unknown>(
    options: ServiceOptions<Peer>,
  ): Promise<Service<Peer, DB>> {
    const { config } = options;
    const log =
      options.log ??
      createLogger({
        service: config.service,
        version: config.version,
        instance: config.instanceId,
        level: config.log.level,
        pretty: config.log.pretty,
      });
    let database: Database<DB> | undefined;
    if (options.migrationsFolder) {
      database = await openDatabase<DB>({
        url: config.databaseUrl,
        migrationsFolder: options.migrationsFolder,
        log,
      });
      try {
        await database.migrate();
      } catch (error) {
        await database.close();
        throw error;
      }
    }
    return new Service<Peer, DB>(options, log, database);
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
    const client = createGrpcClient(service, {
      ...options,
      target,
      peer,
      log: this.log,
      metrics: this.metrics,
      channelOptions: { ...ROUND_ROBIN_CHANNEL_OPTIONS, ...options.channelOptions },
    });
    this.#clients.push(client);
    return client;
  }

  /** Background work started after the listeners and stopped after they drain. */
  addBackground(task: BackgroundTask): void {
    this.#background.push(task);
  }

  async start(): Promise<StartedAddresses> {
    const { config } = this;
    const grpcPort = await this.grpc.listen(config.grpc.host, config.grpc.port);
    const httpPort = await listenHttp(this.http, config.http.host, config.http.port);
    this.#addresses = { httpPort, grpcPort };
    for (const task of this.#background) await task.start();
    this.lifecycle.moveTo("SERVING");
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
    }
    this.log.info({ httpPort, grpcPort, consul: Boolean(config.consul) }, `${config.service} serving`);
    return this.#addresses;
  }

  /**
   * Graceful shutdown: not-ready and Consul critical first, a short wait so load balancers and
   * peers notice, then drain in-flight HTTP and gRPC, stop background work, close clients and the
   * database, flush telemetry. Safe to call twice; the second call waits for the first.
   */
  stop(reason = "stop requested"): Promise<void> {
    this.#stopping ??= this.#stop(reason);
    return this.#stopping;
  }

  async #stop(reason: string): Promise<void> {
    const { shutdown } = this.config;
    this.log.info({ reason }, `${this.config.service} draining`);
    this.lifecycle.moveTo("DRAINING");
    this.health.stopPolling();
    await this.#registration?.markCritical(`draining: ${reason}`).catch(() => undefined);
    if (shutdown.propagationDelayMs > 0) await delay(shutdown.propagationDelayMs);
    await Promise.all([
      closeHttp(this.http, shutdown.drainTimeoutMs),
      this.grpc.drain(shutdown.drainTimeoutMs),
    ]);
    for (const task of [...this.#background].reverse()) {
      await task
        .stop()
        .catch((error: unknown) => this.log.error({ err: error, task: task.name }, "task stop failed"));
    }
    for (const client of this.#clients) client.close();
    await this.#registration?.stop().catch(() => undefined);
    await this.#database?.close();
    this.lifecycle.moveTo("STOPPED");
    this.log.info(`${this.config.service} stopped`);
    await shutdownTelemetry();
    this.log.flush?.();
  }

  /**
   * SIGTERM/SIGINT: graceful stop, then exit 0 (1 if the stop failed). A second signal forces exit.
   */
  stopOnSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        this.log.warn({ signal }, "second signal: forcing exit");
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
