import { getOption } from "@bufbuild/protobuf";
import { access } from "@orderly/contracts/access";
import { scopeMissing } from "../auth/auth-errors.ts";
import { hasScope } from "../auth/principal.ts";
import { isScope } from "../auth/scopes.ts";
import type { Authenticator } from "../auth/token-verifier.ts";
import type { CallGuard } from "./call-guard.ts";

export const AUTHORIZATION_METADATA = "authorization";

/**
 * The public API's check: a method whose `(orderly.access.v1.access).scope` is set needs
 * `authorization: Bearer <token>` metadata carrying that scope (UNAUTHENTICATED without a
 * believable token, PERMISSION_DENIED without the scope). The principal is left on `ctx.principal`
 * for the handler's ownership checks. Methods without a scope (internal RPCs) are left to the
 * service-identity checks.
 */
export function bearerGuard(authenticator: Authenticator): CallGuard {
  return (method) => {
    const scope = getOption(method, access).scope;
    if (scope === "") return undefined;
    if (!isScope(scope)) {
      throw new Error(
        `/${method.parent.typeName}/${method.name}: unknown scope "${scope}" in its access option`,
      );
    }
    return async (ctx) => {
      const header = ctx.metadata.get(AUTHORIZATION_METADATA)[0];
      const principal = await authenticator.authenticate(typeof header === "string" ? header : undefined);
      if (!hasScope(principal, scope)) throw scopeMissing(scope);
      ctx.principal = principal;
    };
  };
}

/** The scope a method's access option declares; "" when it needs none. */
export function declaredScope(method: Parameters<CallGuard>[0]): string {
  return getOption(method, access).scope;
}
