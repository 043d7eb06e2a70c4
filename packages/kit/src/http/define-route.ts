import type {
  FastifyContextConfig,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteOptions,
} from "fastify";
import type { Scope } from "../auth/scopes.ts";
import type { RouteAccess } from "./route-access.ts";

type JsonSchema = Readonly<Record<string, unknown>>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call the route, declared on every route (a route without it fails at typecheck and at
 * start): a bearer token with `scope`, or `public: true` for none.
 */
export type RouteAccessDeclaration = { scope: Scope; public?: never } | { public: true; scope?: never };

export type RouteDefinition<G extends RouteGenericInterface> = RouteFields<G> & RouteAccessDeclaration;

interface RouteFields<G extends RouteGenericInterface> {
  method: Method;
  /** A template under /v1 (`/v1/items/:sku`); it is also the `route` metric label. */
  url: string;
  /** Unique per service; names the operation in the OpenAPI document and generated clients. */
  operationId: string;
  summary?: string;
  description?: string;
  tags?: readonly string[];
  /** The success status. Default 200 (201 is common for POST that creates). */
  status?: number;
  schema: {
    params?: JsonSchema;
    querystring?: JsonSchema;
    body?: JsonSchema;
    headers?: JsonSchema;
    /** The success body by status; it also filters out anything the handler did not mean to expose. */
    response: Readonly<Record<number, JsonSchema>>;
  };
  config?: FastifyContextConfig;
  /**
   * Maps the validated wire input to a domain call and the result back to the wire; nothing more.
   * Throw AppErrors: they become problem+json.
   */
  handler: (request: FastifyRequest<G>, reply: FastifyReply<G>) => Promise<G["Reply"]>;
}

const PATH_PARAM = /:/;

/**
 * A route whose input is always validated: `params` are required when the URL has parameters and
 * `body` for POST, PUT and PATCH, checked here when the service starts rather than found in
 * production. Register it with `app.route(defineRoute({...}))`.
 */
export function defineRoute<G extends RouteGenericInterface = RouteGenericInterface>(
  definition: RouteDefinition<G>,
): RouteOptions {
  const { method, url, schema, handler, status } = definition;
  const problem = missingSchema(method, url, schema);
  if (problem) throw new Error(`defineRoute ${method} ${url}: ${problem}`);
  const access = accessOf(definition);
  if (!access) throw new Error(`defineRoute ${method} ${url}: declare scope: "<scope>" or public: true`);

  const fastifySchema: FastifySchema = {
    ...schema,
    operationId: definition.operationId,
    ...(definition.summary === undefined ? {} : { summary: definition.summary }),
    ...(definition.description === undefined ? {} : { description: definition.description }),
    ...(definition.tags === undefined ? {} : { tags: definition.tags }),
  };
  // The typed handler sees its own generics; fastify's route table holds the untyped form.
  const typed = handler as unknown as RouteHandlerMethod;
  return {
    method,
    url,
    schema: fastifySchema,
    config: { ...definition.config, access },
    handler:
      status === undefined
        ? typed
        : function withStatus(request, reply) {
            reply.code(status);
            return typed.call(this, request, reply);
          },
  };
}

function accessOf(definition: RouteAccessDeclaration): RouteAccess | undefined {
  if (definition.public === true) return "public";
  return typeof definition.scope === "string" ? { scope: definition.scope } : undefined;
}

/**
 * Why a route's input would go unvalidated, or undefined when it is covered. createHttpServer runs
 * it for every route (an onRoute hook), so routes added with `app.get()` are held to it too.
 */
export function missingSchema(
  method: string,
  url: string,
  schema: FastifySchema | undefined,
): string | undefined {
  if (PATH_PARAM.test(url) && !schema?.params) return "the URL has parameters but schema.params is missing";
  if ((method === "POST" || method === "PUT" || method === "PATCH") && !schema?.body) {
    return `${method} needs schema.body`;
  }
  return undefined;
}
