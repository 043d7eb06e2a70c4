/**
 * The dev CA of `pnpm start`: under `<ORDERLY_DATA_DIR>/certs/` a CA (`ca.pem`, `ca-key.pem`) and,
 * signed by it, `<name>.pem` + `<name>-key.pem` for each service and for the operator (a person
 * making admin calls); made once, kept across restarts (see writeDevCertificates).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DevCertificateFiles, writeDevCertificates } from "@orderly/kit/auth";
import type { GrpcTls } from "@orderly/kit/config";

export const IDENTITIES = ["order", "inventory", "invoice", "fulfillment", "operator"] as const;
export type Identity = (typeof IDENTITIES)[number];

/** Creates whatever is missing under `<dataDir>/certs` and says where everything is. */
export function ensureDevCerts(dataDir: string): DevCertificateFiles {
  return writeDevCertificates(join(dataDir, "certs"), IDENTITIES);
}

/** GRPC_TLS_* for one identity: its gRPC port and its calls to peers use TLS with this certificate. */
export function grpcTlsEnv(certs: DevCertificateFiles, identity: Identity): Record<string, string> {
  return {
    GRPC_TLS_CA: certs.ca,
    GRPC_TLS_CERT: certs.certFile(identity),
    GRPC_TLS_KEY: certs.keyFile(identity),
  };
}

/** The PEM material of one identity, for a client the launcher itself runs. */
export function readIdentity(certs: DevCertificateFiles, identity: Identity): GrpcTls {
  return {
    ca: readFileSync(certs.ca, "utf8"),
    cert: readFileSync(certs.certFile(identity), "utf8"),
    key: readFileSync(certs.keyFile(identity), "utf8"),
  };
}

/** `buf curl` flags: verify the server against the dev CA; present `identity`'s certificate if given. */
export function bufCurlTlsFlags(certs: DevCertificateFiles, identity?: Identity): string {
  const client = identity ? ` --cert ${certs.certFile(identity)} --key ${certs.keyFile(identity)}` : "";
  return `--cacert ${certs.ca}${client}`;
}
