import * as grpc from "@grpc/grpc-js";
import type { GrpcTls } from "../config/index.ts";

/**
 * Whether a TLS gRPC port insists on a client certificate. Internal services do ("required": the
 * handshake itself refuses a caller without one signed by the CA). The order service's port also
 * serves customers, whose public RPCs need only a bearer token ("optional": a certificate, when
 * sent, is verified and identifies the caller; without one only the caller allowlist refuses).
 */
export type ClientCertificatePolicy = "required" | "optional";

export function serverCredentials(tls: GrpcTls, policy: ClientCertificatePolicy): grpc.ServerCredentials {
  const ca = Buffer.from(tls.ca);
  const identity = { private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) };
  if (policy === "required") return grpc.ServerCredentials.createSsl(ca, [identity], true);
  // createSsl(…, false) does not even ask for a client certificate, so a service calling the order
  // port could never be identified. The certificate-provider credentials ask (requestCert) without
  // insisting (rejectUnauthorized false); grpc-js then reports a peer certificate only when it
  // verified against the CA. Note the argument order: identity provider first, then the CA's.
  return grpc.experimental.createCertificateProviderServerCredentials(
    staticProvider(identity.cert_chain, identity.private_key, ca),
    staticProvider(identity.cert_chain, identity.private_key, ca),
    false,
  );
}

/**
 * TLS to a peer with this service's certificate as the client identity. The peer's certificate must
 * name the peer (`<service>` as a DNS name), whatever address discovery resolved: Consul and static
 * addresses are IPs, and checking the service name is what proves we reached the right service.
 */
export function clientTls(
  tls: GrpcTls,
  peer: string,
): { credentials: grpc.ChannelCredentials; channelOptions: grpc.ChannelOptions } {
  return {
    credentials: grpc.credentials.createSsl(Buffer.from(tls.ca), Buffer.from(tls.key), Buffer.from(tls.cert)),
    channelOptions: { "grpc.ssl_target_name_override": peer },
  };
}

/**
 * Certificates that never change (read once at start). Handed over a microtask later, not during
 * `add…Listener`: grpc-js registers its watcher only after adding the listeners, so a synchronous
 * answer would be lost and the port would drop every connection as "credentials not loaded".
 */
function staticProvider(certificate: Buffer, privateKey: Buffer, caCertificate: Buffer) {
  return {
    addCaCertificateListener: (listener: (update: { caCertificate: Buffer }) => void) =>
      queueMicrotask(() => listener({ caCertificate })),
    removeCaCertificateListener: () => undefined,
    addIdentityCertificateListener: (
      listener: (update: { certificate: Buffer; privateKey: Buffer }) => void,
    ) => queueMicrotask(() => listener({ certificate, privateKey })),
    removeIdentityCertificateListener: () => undefined,
  };
}
