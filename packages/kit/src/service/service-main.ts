import type { DescService } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { type Env, loadOrExit, type ServiceConfig } from "../config/index.ts";
import type { EventBus, EventBusConfig } from "../events/index.ts";
import type { GrpcServer, ServiceImplementation } from "../grpc/index.ts";
import type { BackgroundTask } from "./background-task.ts";
import { Service, type ServiceOptions } from "./create-service.ts";

/** The app's API as the service serves it; see servedApi. */
export interface ServedApi<Api> {
  serve(servers: { grpc: GrpcServer; http: FastifyInstance }, api: Api): void;
}

/**
 * The app's API over both transports: the gRPC service from proto with the handlers that map it
 * onto the API, and the HTTP routes. Both get the same `api`, the one compose returns.
 */
export function servedApi<Api, S extends DescService>(transports: {
  grpc: S;
  grpcHandlers: (api: Api) => ServiceImplementation<S>;
  httpRoutes: (http: FastifyInstance, api: Api) => void;
}): ServedApi<Api> {
  return {
    serve(servers, api) {
      servers.grpc.add(transports.grpc, transports.grpcHandlers(api));
      transports.httpRoutes(servers.http, api);
    },
  };
}

/** What compose returns: the app's own background tasks and, when the service serves one, its API. */
export interface ComposedApp<Api> {
  tasks: readonly BackgroundTask[];
  api?: Api;
}

/**
 * What only the service knows; serviceMain supplies the order every composition root keeps. The
 * other Service.create options (migrations, certificate policy, test overrides) sit beside these.
 */
export interface ServiceMainDefinition<
  Peer extends string,
  DB,
  Config extends ServiceConfig<Peer>,
  Api = unknown,
> extends Omit<ServiceOptions<Peer>, "config" | "openapi"> {
  /** The service's config.ts loader; a ConfigError exits 78 before anything is built. */
  loadConfig: (env?: Env) => Config;
  /** The OpenAPI document's description; its title is "Orderly <service> service". */
  apiDescription: string;
  /** Served once compose has built the app, before anything compose added starts. */
  serves?: ServedApi<Api>;
  /**
   * Wires the app onto the created service: peer clients, event relays and consumers. Returns the
   * app, whose own background tasks are added after anything compose added, and whose `api` is
   * what `serves` serves.
   */
  compose: (service: Service<Peer, DB>, config: Config) => Promise<ComposedApp<Api>> | ComposedApp<Api>;
}

/** A service's `main`: config -> Service -> app -> start. Returns the running service. */
export type ServiceMain<Peer extends string, DB> = (
  env?: Env,
  options?: { handleSignals?: boolean },
) => Promise<Service<Peer, DB>>;

/** The composition root's fixed order, written once; each main.ts states only its own wiring. */
export function serviceMain<Peer extends string, DB, Config extends ServiceConfig<Peer>, Api>(
  definition: ServiceMainDefinition<Peer, DB, Config, Api>,
): ServiceMain<Peer, DB> {
  return async (env, options = {}) => {
    const { loadConfig, apiDescription, serves, compose, ...create } = definition;
    const config = loadOrExit(() => loadConfig(env));
    const service = await Service.create<Peer, DB>({
      ...create,
      config,
      openapi: { title: `Orderly ${config.service} service`, description: apiDescription },
    });
    const app = await compose(service, config);
    if (serves) {
      if (app.api === undefined) throw new Error(`${config.service}: compose returned no api to serve`);
      serves.serve(service, app.api);
    }
    for (const task of app.tasks) service.addBackground(task);
    // Before start(), so a SIGTERM during startup still stops gracefully.
    if (options.handleSignals) service.stopOnSignals();
    await service.start();
    return service;
  };
}

/**
 * Connects this instance to the event bus (client name `<service>-<instance>`, metrics in the
 * service's registry) and adds the connection as a background task at once. Call it before adding
 * the relays and consumers that use it: first added, last stopped, so it closes after them.
 */
export async function connectServiceEventBus<Peer extends string, DB>(
  service: Service<Peer, DB>,
  config: EventBusConfig,
): Promise<EventBus> {
  // Imported here, not at the top: the NATS client is ~360 KB a service without a bus never loads.
  const { connectEventBus } = await import("../events/event-bus.ts");
  const bus = await connectEventBus({
    config,
    name: `${service.config.service}-${service.config.instanceId}`,
    log: service.log,
    registry: service.metrics.registry,
  });
  service.addBackground(bus.connectionTask);
  return bus;
}
