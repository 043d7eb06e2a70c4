import type { FastifyInstance, onRequestHookHandler } from "fastify";
import { scopeMissing } from "../auth/auth-errors.ts";
import { hasScope, type Principal } from "../auth/principal.ts";
import type { Scope } from "../auth/scopes.ts";
import { AUTH_DISABLED_PRINCIPAL, type Authenticator } from "../auth/token-verifier.ts";

/** What a route asks of its caller: a bearer token with `scope`, or nothing (`"public"`). */
export type RouteAccess = { readonly scope: Scope } | "public";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Required on every route (createHttpServer refuses a route without it). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /**
     * Who is calling: the verified token's principal on a scoped route (the admin principal when
     * AUTH_DISABLED=true), an anonymous one without scopes on a public route.
     */
    principal: Principal;
  }
}

/** The principal of a public route's request: nobody in particular, no scopes. */
export const ANONYMOUS: Principal = Object.freeze({ subject: "", scopes: new Set<Scope>() });

/** Why a route could not be served safely, or undefined when it declares who may call it. */
export function missingAccess(access: RouteAccess | undefined): string | undefined {
  if (access === "public" || (access !== undefined && typeof access.scope === "string")) return undefined;
  return 'declare who may call it: defineRoute({ scope: "<scope>" }) or { public: true } (config.access)';
}

/**
 * Authenticates every routed request before its body is parsed: a scoped route needs a bearer token
 * carrying the scope (401 without a believable token, 403 without the scope), and the principal is
 * left on `request.principal` for the handler's ownership checks. It is the first of the route's
 * own onRequest hooks, which fastify runs after the app-wide ones (drain guard, load shedding,
 * admission limit, request metrics: none reads the principal), and before every later phase, so
 * the rate limit (a preHandler keyed by subject) sees it. A route added before this is installed
 * gets no hook: http-server installs it before any route.
 *
 * Each route gets the hook its access calls for when it is added, so a request never looks its
 * route up (`request.routeOptions` builds a new object on every read) and a public route or one
 * with authentication off pays one assignment. Unmatched requests (404) get none: nothing that
 * runs for them reads a principal.
 */
export function installAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  // A shared object as the default would be one instance for all requests (fastify refuses it):
  // null here, and every routed request gets its principal in its route's hook.
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRoute", (route) => {
    const hook = principalHook(route.config?.access, authenticator);
    // First of the route's own onRequest hooks, so they see the principal too.
    route.onRequest = [hook, ...[route.onRequest ?? []].flat()];
  });
}

function principalHook(access: RouteAccess | undefined, authenticator: Authenticator): onRequestHookHandler {
  if (access === undefined || access === "public") return assignPrincipal(ANONYMOUS);
  // AUTH_DISABLED=true: everyone is the admin principal.
  if (!authenticator.enabled) return assignPrincipal(AUTH_DISABLED_PRINCIPAL);
  const scope = access.scope;
  return async function authenticate(request) {
    const principal = await authenticator.authenticate(request.headers.authorization);
    if (!hasScope(principal, scope)) throw scopeMissing(scope);
    request.principal = principal;
  };
}

function assignPrincipal(principal: Principal): onRequestHookHandler {
  return function assignFixedPrincipal(request, _reply, done) {
    request.principal = principal;
    done();
  };
}
