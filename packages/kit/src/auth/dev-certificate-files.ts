import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDevCa, type DevCa, loadDevCa } from "./dev-certificates.ts";

export interface DevCertificateFiles {
  dir: string;
  /** `ca.pem`: what every party trusts. */
  ca: string;
  certFile(identity: string): string;
  keyFile(identity: string): string;
}

export interface WriteDevCertificatesOptions {
  /** uid:gid to own the files (compose: the services' non-root user); default the caller's. */
  owner?: { uid: number; gid: number };
}

/**
 * Under `dir`: a CA (`ca.pem`, `ca-key.pem`) and, signed by it, `<identity>.pem` +
 * `<identity>-key.pem` for each identity. Made once and kept: a missing certificate is issued
 * again, and a missing CA starts everything afresh (certificates of a lost CA verify against
 * nothing). Keys are written 0600.
 */
export function writeDevCertificates(
  dir: string,
  identities: readonly string[],
  options: WriteDevCertificatesOptions = {},
): DevCertificateFiles {
  mkdirSync(dir, { recursive: true });
  const files: DevCertificateFiles = {
    dir,
    ca: join(dir, "ca.pem"),
    certFile: (identity) => join(dir, `${identity}.pem`),
    keyFile: (identity) => join(dir, `${identity}-key.pem`),
  };
  const write = (path: string, pem: string, secret: boolean) => {
    writeFileSync(path, pem, { mode: secret ? 0o600 : 0o644 });
    chmodSync(path, secret ? 0o600 : 0o644);
    if (options.owner) chownSync(path, options.owner.uid, options.owner.gid);
  };
  const caKey = join(dir, "ca-key.pem");
  const fresh = !existsSync(files.ca) || !existsSync(caKey);
  let ca: DevCa;
  if (fresh) {
    ca = createDevCa("Orderly dev CA");
    write(caKey, ca.key, true);
    write(files.ca, ca.cert, false);
  } else {
    ca = loadDevCa({ cert: readFileSync(files.ca, "utf8"), key: readFileSync(caKey, "utf8") });
  }
  for (const identity of identities) {
    if (!fresh && existsSync(files.certFile(identity)) && existsSync(files.keyFile(identity))) continue;
    const pair = ca.issue(identity);
    write(files.keyFile(identity), pair.key, true);
    write(files.certFile(identity), pair.cert, false);
  }
  return files;
}
