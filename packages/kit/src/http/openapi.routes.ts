import { createRequire } from "node:module";
import type fastifySwagger from "@fastify/swagger";
import type { SwaggerOptions } from "@fastify/swagger";
import type { FastifyInstance } from "fastify";
import { BEARER_SCHEME, describeOperation } from "./openapi-operation.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

export interface OpenApiOptions {
  title: string;
  description?: string;
  /**
   * Where clients reach the API. Default one relative server, "/": the document is served by the
   * service it describes, so tools resolve operations against wherever they fetched it from.
   */
  servers?: readonly { url: string; description?: string }[];
}

/** The RFC 9457 body every error response carries, referenced from each operation. */
export const PROBLEM_DETAILS_SCHEMA = {
  type: "object",
  required: ["type", "title", "status", "detail", "reason", "code"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    reason: { type: "string", description: "UPPER_SNAKE error reason, listed in the service's proto" },
    code: { type: "string", description: "gRPC status code name" },
    details: { type: "object", additionalProperties: true },
    request_id: { type: "string" },
  },
} as const;

/**
 * Sets up @fastify/swagger in dynamic mode and GET /openapi.json. swagger collects routes through
 * an onRoute hook; `app.register(swagger)` would add that hook only when the plugin queue runs, so a
 * route added with `app.get()` right after createHttpServer would be missing from the document. In
 * dynamic mode the plugin's setup is synchronous (an onRoute hook and a decorator), so it is applied
 * to the root instance directly; a test guards that. The kit's own operational routes are hidden
 * (`schema.hide`): the document describes the service's API, not its probes.
 *
 * With EXPOSE_API_DOCS off nothing is set up and @fastify/swagger (with `yaml`, ~90 modules and
 * ~20 ms of start-up here) is never loaded: the document is only ever read through /openapi.json.
 */
export function registerOpenApi(
  app: FastifyInstance,
  options: OpenApiOptions & { version: string; service: string; serve?: boolean },
): void {
  if (options.serve === false) return;
  const swaggerOptions: SwaggerOptions = {
    mode: "dynamic",
    openapi: {
      openapi: "3.1.0",
      info: {
        title: options.title,
        version: options.version,
        ...(options.description === undefined ? {} : { description: options.description }),
        license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      },
      servers: (options.servers ?? [{ url: "/", description: "The service serving this document" }]).map(
        (server) => ({ ...server }),
      ),
      components: {
        schemas: { ProblemDetails: PROBLEM_DETAILS_SCHEMA as never },
        securitySchemes: { [BEARER_SCHEME]: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
    // operationIds, security and the problem responses the kit produces, once here for every route.
    transform: ({ schema, url, route }) => ({
      schema: describeOperation(schema, String(route.method), url, route.config?.access),
      url,
    }),
  };
  loadSwagger()(app, swaggerOptions, (error) => {
    if (error) throw error;
  });
  app.get(
    "/openapi.json",
    { config: OPERATIONAL_ROUTE_CONFIG, exposeHeadRoute: false, schema: { hide: true } },
    async () => app.swagger(),
  );
}

/** Synchronous (the setup above must run before the service adds its routes), on demand. */
const loadSwagger = (): typeof fastifySwagger =>
  createRequire(import.meta.url)("@fastify/swagger") as typeof fastifySwagger;
