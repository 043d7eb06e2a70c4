import fastifySwagger, { type SwaggerOptions } from "@fastify/swagger";
import type { FastifyInstance, FastifySchema } from "fastify";
import { PROBLEM_CONTENT_TYPE } from "./problem-details.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

export interface OpenApiOptions {
  title: string;
  description?: string;
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

const problemResponse = {
  description: "Problem details (RFC 9457)",
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/ProblemDetails" } } },
};

/**
 * Sets up @fastify/swagger in dynamic mode and GET /openapi.json. swagger collects routes through
 * an onRoute hook; `app.register(swagger)` would add that hook only when the plugin queue runs, so a
 * route added with `app.get()` right after createHttpServer would be missing from the document. In
 * dynamic mode the plugin's setup is synchronous (an onRoute hook and a decorator), so it is applied
 * to the root instance directly; a test guards that. The kit's own operational routes are hidden
 * (`schema.hide`): the document describes the service's API, not its probes.
 */
export function registerOpenApi(
  app: FastifyInstance,
  options: OpenApiOptions & { version: string; service: string },
): void {
  const swaggerOptions: SwaggerOptions = {
    mode: "dynamic",
    openapi: {
      openapi: "3.1.0",
      info: {
        title: options.title,
        version: options.version,
        ...(options.description === undefined ? {} : { description: options.description }),
      },
      components: { schemas: { ProblemDetails: PROBLEM_DETAILS_SCHEMA as never } },
    },
    // Every operation can fail with a problem; say so once here instead of in every route.
    transform: ({ schema, url }) => ({ schema: withProblemResponse(schema), url }),
  };
  fastifySwagger(app, swaggerOptions, (error) => {
    if (error) throw error;
  });

  app.get(
    "/openapi.json",
    { config: OPERATIONAL_ROUTE_CONFIG, exposeHeadRoute: false, schema: { hide: true } },
    async () => app.swagger(),
  );
}

function withProblemResponse(schema: FastifySchema | undefined): FastifySchema {
  const base = schema ?? {};
  const response = (base.response ?? {}) as Record<string, unknown>;
  if ("default" in response || "4xx" in response) return base;
  return { ...base, response: { ...response, default: problemResponse } };
}
