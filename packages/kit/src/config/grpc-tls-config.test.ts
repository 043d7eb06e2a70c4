import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { variablesNamedBy } from "./config-error.test-support.ts";
import { loadServiceConfig } from "./service-config.ts";

const spec = { name: "inventory", version: "1.0.0", defaultHttpPort: 8081, defaultGrpcPort: 50052 };
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const dirs: string[] = [];

function pemFiles(): { ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "orderly-tls-config-"));
  dirs.push(dir);
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return { ca: file("ca.pem", PEM), cert: file("svc.pem", PEM), key: file("svc-key.pem", PEM) };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("GRPC_TLS_*", () => {
  it("when none is set, then gRPC is plaintext", () => {
    const config = loadServiceConfig(spec, { AUTH_DISABLED: "true" });
    expect(config.grpcTls).toBeUndefined();
  });

  it("when all three are set, then the files' PEM text is loaded once", () => {
    const files = pemFiles();
    const config = loadServiceConfig(spec, {
      GRPC_TLS_CA: files.ca,
      GRPC_TLS_CERT: files.cert,
      GRPC_TLS_KEY: files.key,
      AUTH_DISABLED: "true",
    });
    expect(config.grpcTls).toEqual({ ca: PEM, cert: PEM, key: PEM });
  });

  it("when only some are set, then the start fails naming each missing variable", () => {
    const files = pemFiles();
    expect(
      variablesNamedBy(() => loadServiceConfig(spec, { GRPC_TLS_CA: files.ca, AUTH_DISABLED: "true" })),
    ).toEqual(["GRPC_TLS_CERT", "GRPC_TLS_KEY"]);
  });

  it("when a file is missing or not PEM, then the start fails naming its variable, with the other errors", () => {
    const files = pemFiles();
    writeFileSync(files.key, "not a key");
    expect(
      variablesNamedBy(() =>
        loadServiceConfig(spec, {
          GRPC_TLS_CA: join(files.ca, "..", "absent.pem"),
          GRPC_TLS_CERT: files.cert,
          GRPC_TLS_KEY: files.key,
          HTTP_PORT: "http",
          AUTH_DISABLED: "maybe",
        }),
      ),
    ).toEqual(["HTTP_PORT", "AUTH_DISABLED", "GRPC_TLS_CA", "GRPC_TLS_KEY"]);
  });
});
