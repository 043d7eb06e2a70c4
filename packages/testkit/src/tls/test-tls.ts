import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { writeDevCertificates } from "@orderly/kit/auth";

export interface TestTls {
  /** GRPC_TLS_* for a service running as `identity` (its certificate's common name). */
  env(identity: string): Record<string, string>;
  /** Channel credentials presenting `identity`'s certificate, or none (TLS only) when omitted. */
  credentials(identity?: string): grpc.ChannelCredentials;
  remove(): void;
}

/**
 * A dev CA and certificates for the given identities in a temporary folder, as `pnpm start` makes
 * them: for tests that run services with mTLS on, as production does, and call them as a service,
 * as the operator, or with no certificate.
 */
export function createTestTls(
  identities: readonly string[] = ["order", "inventory", "invoice", "fulfillment", "operator"],
): TestTls {
  const dir = mkdtempSync(join(tmpdir(), "orderly-test-tls-"));
  const files = writeDevCertificates(dir, identities);
  return {
    env: (identity) => ({
      GRPC_TLS_CA: files.ca,
      GRPC_TLS_CERT: files.certFile(identity),
      GRPC_TLS_KEY: files.keyFile(identity),
    }),
    credentials: (identity) => {
      const pem = (path: string) => readFileSync(path);
      return identity
        ? grpc.credentials.createSsl(
            pem(files.ca),
            pem(files.keyFile(identity)),
            pem(files.certFile(identity)),
          )
        : grpc.credentials.createSsl(pem(files.ca));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
