// A small kit-built service for the kit's own tests: an InventoryService whose GetItem is slow, and a
// slow HTTP route, so tests can hold requests in flight across a shutdown. Built only through the
// public Service API, as a service's main.ts would.
import { InventoryService } from "@orderly/contracts/inventory";
import { type Env, envTypes, loadServiceConfig, type ServiceConfig } from "../../config/index.ts";
import { partialService } from "../../grpc/index.ts";
import { defineRoute } from "../../http/index.ts";
import { Service, type ServiceOptions } from "../create-service.ts";

export const FIXTURE_SERVICE_NAME = "inventory";
export const SLOW_ROUTE = "/v1/slow";

const fixtureVariables = {
  /** How long a slow request takes. */
  FIXTURE_SLOW_MS: envTypes.nonNegativeInt(1000),
  /**
   * When set, a slow request first waits for the service to start draining, then for the propagation
   * delay plus FIXTURE_SLOW_MS: it is then certainly still in flight when the listeners close,
   * however slow the machine, without the test racing a clock.
   */
  FIXTURE_HOLD_UNTIL_DRAIN: envTypes.flag(false),
};

export type FixtureConfig = ServiceConfig & {
  extra: { FIXTURE_SLOW_MS: number; FIXTURE_HOLD_UNTIL_DRAIN: boolean };
};

/** The fixture's config from the environment, as a service's config.ts reads it. */
export function loadFixtureConfig(env: Env): FixtureConfig {
  return loadServiceConfig(
    {
      name: FIXTURE_SERVICE_NAME,
      version: "0.0.0-fixture",
      defaultHttpPort: 0,
      defaultGrpcPort: 0,
      extra: fixtureVariables,
    },
    env,
  );
}

/** Creates (does not start) the fixture service: slow GetItem over gRPC and GET /v1/slow over HTTP. */
export async function createFixtureService(
  config: FixtureConfig,
  options: Omit<ServiceOptions<string>, "config"> = {},
): Promise<Service> {
  const service = await Service.create({ ...options, config });
  const { FIXTURE_SLOW_MS: slowMs, FIXTURE_HOLD_UNTIL_DRAIN: holdUntilDrain } = config.extra;

  const slowWork = async (kind: "http" | "grpc"): Promise<void> => {
    service.log.info({ kind }, "slow request started");
    if (holdUntilDrain) {
      await untilDraining(service);
      await sleep(config.shutdown.propagationDelayMs + slowMs);
    } else {
      await sleep(slowMs);
    }
    service.log.info({ kind }, "slow request finished");
  };

  service.grpc.add(
    InventoryService,
    partialService(InventoryService, {
      getItem: async (request) => {
        await slowWork("grpc");
        return { item: { sku: request.sku, name: "Slow mug", onHand: 1n, available: 1n } };
      },
    }),
  );

  service.http.route(
    defineRoute<{ Reply: { done: boolean } }>({
      method: "GET",
      url: SLOW_ROUTE,
      operationId: "slow",
      public: true,
      summary: "Answers after FIXTURE_SLOW_MS",
      schema: {
        response: { 200: { type: "object", required: ["done"], properties: { done: { type: "boolean" } } } },
      },
      handler: async () => {
        await slowWork("http");
        return { done: true };
      },
    }),
  );
  return service;
}

function untilDraining(service: Service): Promise<void> {
  if (service.lifecycle.state !== "STARTING" && service.lifecycle.state !== "SERVING")
    return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = service.lifecycle.onChange(() => {
      unsubscribe();
      resolve();
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
