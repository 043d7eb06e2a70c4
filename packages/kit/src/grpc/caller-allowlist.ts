import { type DescMethod, getOption } from "@bufbuild/protobuf";
import type * as grpc from "@grpc/grpc-js";
import { access } from "@orderly/contracts/access";
import { AppError, Code } from "../errors/index.ts";

/** What a gate reads of a server call (unary and streaming calls alike). */
export type IncomingCall = Pick<grpc.ServerUnaryCall<unknown, unknown>, "getAuthContext" | "metadata">;

/** Refuses a call before its handler runs; returns the error to answer with, or undefined to go on. */
export type CallGate = (call: IncomingCall) => AppError | undefined;

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
 * The gate for one method, from `(orderly.access.v1.access).callers` beside the RPC in proto/;
 * undefined when the method lists no callers (public RPCs: the bearer-token check applies).
 *
 * With TLS the allowlist always applies, AUTH_DISABLED or not: identities are there to check.
 * Without TLS there is no identity, so an internal method is refused (secure by default) unless
 * AUTH_DISABLED=true says this is a development or load-test run on a trusted machine.
 */
export function callerGate(method: DescMethod, policy: CallerPolicy): CallGate | undefined {
  const callers = new Set(getOption(method, access).callers);
  if (callers.size === 0) return undefined;
  if (!policy.tls && policy.authDisabled) return undefined;
  const path = `${method.parent.typeName}/${method.name}`;
  const unauthenticated = new AppError({
    code: Code.UNAUTHENTICATED,
    reason: CallerReason.SERVICE_IDENTITY_REQUIRED,
    message: policy.tls
      ? `${path} needs a client certificate signed by the services' CA`
      : `${path} needs a service identity: configure GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY (or AUTH_DISABLED=true for development)`,
  });
  if (!policy.tls) return () => unauthenticated;
  return (call) => {
    const caller = callerIdentity(call);
    if (caller === undefined) return unauthenticated;
    if (callers.has(caller)) return undefined;
    // The method and the caller, never the list: a refused caller learns nothing about who may.
    return new AppError({
      code: Code.PERMISSION_DENIED,
      reason: CallerReason.CALLER_NOT_ALLOWED,
      message: `caller "${caller}" may not call ${path}`,
    });
  };
}

/**
 * The common name of the client certificate, if the call came with one that verified against the
 * CA (grpc-js reports a peer certificate only for an authorized TLS socket).
 */
export function callerIdentity(call: IncomingCall): string | undefined {
  const cn = call.getAuthContext().sslPeerCertificate?.subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  return name ? name : undefined;
}
