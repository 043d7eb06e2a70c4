/**
 * The dev CA of `pnpm start`: under `<ORDERLY_DATA_DIR>/certs/` a CA (`ca.pem`, `ca-key.pem`) and,
 * signed by it, `<name>.pem` + `<name>-key.pem` for each service and for the operator (a person
 * making admin calls). Made once, kept across restarts; a missing certificate is issued again, and
 * a missing CA starts everything afresh (certificates of a lost CA would verify against nothing).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDevCa, type DevCa, loadDevCa } from "@orderly/kit/auth";
import type { GrpcTls } from "@orderly/kit/config";

export const IDENTITIES = ["order", "inventory", "invoice", "fulfillment", "operator"] as const;
export type Identity = (typeof IDENTITIES)[number];

export interface DevCerts {
  dir: string;
  ca: string;
  certFile(identity: Identity): string;
  keyFile(identity: Identity): string;
}

/** Creates whatever is missing under `<dataDir>/certs` and says where everything is. */
export function ensureDevCerts(dataDir: string): DevCerts {
  const dir = join(dataDir, "certs");
  mkdirSync(dir, { recursive: true });
  const certs: DevCerts = {
    dir,
    ca: join(dir, "ca.pem"),
    certFile: (identity) => join(dir, `${identity}.pem`),
    keyFile: (identity) => join(dir, `${identity}-key.pem`),
  };
  const caKey = join(dir, "ca-key.pem");
  const fresh = !existsSync(certs.ca) || !existsSync(caKey);
  let ca: DevCa;
  if (fresh) {
    ca = createDevCa("Orderly dev CA");
    writePrivate(caKey, ca.key);
    writeFileSync(certs.ca, ca.cert);
  } else {
    ca = loadDevCa({ cert: readFileSync(certs.ca, "utf8"), key: readFileSync(caKey, "utf8") });
  }
  for (const identity of IDENTITIES) {
    if (!fresh && existsSync(certs.certFile(identity)) && existsSync(certs.keyFile(identity))) continue;
    const pair = ca.issue(identity);
    writePrivate(certs.keyFile(identity), pair.key);
    writeFileSync(certs.certFile(identity), pair.cert);
  }
  return certs;
}

/** GRPC_TLS_* for one identity: its gRPC port and its calls to peers use TLS with this certificate. */
export function grpcTlsEnv(certs: DevCerts, identity: Identity): Record<string, string> {
  return {
    GRPC_TLS_CA: certs.ca,
    GRPC_TLS_CERT: certs.certFile(identity),
    GRPC_TLS_KEY: certs.keyFile(identity),
  };
}

/** The PEM material of one identity, for a client the launcher itself runs. */
export function readIdentity(certs: DevCerts, identity: Identity): GrpcTls {
  return {
    ca: readFileSync(certs.ca, "utf8"),
    cert: readFileSync(certs.certFile(identity), "utf8"),
    key: readFileSync(certs.keyFile(identity), "utf8"),
  };
}

/** `buf curl` flags: verify the server against the dev CA; present `identity`'s certificate if given. */
export function bufCurlTlsFlags(certs: DevCerts, identity?: Identity): string {
  const client = identity ? ` --cert ${certs.certFile(identity)} --key ${certs.keyFile(identity)}` : "";
  return `--cacert ${certs.ca}${client}`;
}

function writePrivate(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}
