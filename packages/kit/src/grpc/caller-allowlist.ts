import { getOption } from "@bufbuild/protobuf";
import { access } from "@orderly/contracts/access";
import { AppError, Code } from "../errors/index.ts";
import type { CallGuard } from "./call-guard.ts";

export const CallerReason = {
  /** The method needs a service certificate and the call came without one. */
  SERVICE_IDENTITY_REQUIRED: "SERVICE_IDENTITY_REQUIRED",
  /** The caller's certificate names a service the method's allowlist does not list. */
  CALLER_NOT_ALLOWED: "CALLER_NOT_ALLOWED",
} as const;

export interface CallerPolicy {
  /** gRPC TLS is configured: identities come from verified client certificates. */
  tls: boolean;
  /** AUTH_DISABLED=true: without TLS, internal methods accept any caller. */
  authDisabled: boolean;
}

/**
 * The service-identity check: a method whose `(orderly.access.v1.access).callers` (beside the RPC in
 * proto/) lists services accepts only a caller whose client certificate names one of them
 * (PERMISSION_DENIED CALLER_NOT_ALLOWED otherwise, naming the method, never the list; no
 * certificate: UNAUTHENTICATED SERVICE_IDENTITY_REQUIRED). Methods without callers are left to the
 * bearer check.
 *
 * With TLS the allowlist always applies, AUTH_DISABLED or not: identities are there to check.
 * Without TLS there is no identity, so an internal method is refused (secure by default) unless
 * AUTH_DISABLED=true says this is a development or load-test run on a trusted machine.
 */
export function callerGuard(policy: CallerPolicy): CallGuard {
  return (method) => {
    const callers = new Set(getOption(method, access).callers);
    if (callers.size === 0) return undefined;
    if (!policy.tls && policy.authDisabled) return undefined;
    const path = `${method.parent.typeName}/${method.name}`;
    const unauthenticated = () =>
      new AppError({
        code: Code.UNAUTHENTICATED,
        reason: CallerReason.SERVICE_IDENTITY_REQUIRED,
        message: policy.tls
          ? `${path} needs a client certificate signed by the services' CA`
          : `${path} needs a service identity: configure GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY (or AUTH_DISABLED=true for development)`,
      });
    return (ctx) => {
      const caller = policy.tls ? ctx.callerIdentity : undefined;
      if (caller === undefined) throw unauthenticated();
      if (callers.has(caller)) return;
      throw new AppError({
        code: Code.PERMISSION_DENIED,
        reason: CallerReason.CALLER_NOT_ALLOWED,
        message: `caller "${caller}" may not call ${path}`,
      });
    };
  };
}
