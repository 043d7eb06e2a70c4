import { readFileSync } from "node:fs";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import type { Env } from "./parse-env.ts";

/**
 * This instance's gRPC TLS material, read once at start. PEM text, not Buffers: the config object is
 * deeply frozen, and a typed array cannot be.
 */
export interface GrpcTls {
  /** The CA that signs every service's (and the operator's) certificate. */
  ca: string;
  cert: string;
  key: string;
}

const TLS_VARIABLES = ["GRPC_TLS_CA", "GRPC_TLS_CERT", "GRPC_TLS_KEY"] as const;

/**
 * Present when GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY are set: every gRPC port is TLS.
 * GRPC_TLS_CA / GRPC_TLS_CERT / GRPC_TLS_KEY are file paths: all three or none (half a TLS setup
 * is a mistake, never a fallback to plaintext). Each file is read now, so a wrong path fails the
 * start naming its variable instead of the first call.
 */
export function loadGrpcTlsConfig(env: Env): GrpcTls | undefined {
  const issues: ConfigIssue[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const set = TLS_VARIABLES.filter((name) => value(name) !== undefined);
  let grpcTls: GrpcTls | undefined;
  if (set.length > 0 && set.length < TLS_VARIABLES.length) {
    for (const name of TLS_VARIABLES.filter((n) => !set.includes(n)))
      issues.push({ variable: name, expected: `a file path: required when ${set.join(" and ")} is set` });
  } else if (set.length === TLS_VARIABLES.length) {
    const read = (name: (typeof TLS_VARIABLES)[number], what: string) => {
      const path = value(name) as string;
      try {
        const pem = readFileSync(path, "utf8");
        if (!pem.includes("-----BEGIN ")) throw new Error("not PEM");
        return pem;
      } catch (error) {
        const why = error instanceof Error && "code" in error ? String(error.code) : "not a PEM file";
        issues.push({ variable: name, expected: `a readable PEM file holding ${what} (${path}: ${why})` });
        return "";
      }
    };
    grpcTls = {
      ca: read("GRPC_TLS_CA", "the CA certificate"),
      cert: read("GRPC_TLS_CERT", "this service's certificate"),
      key: read("GRPC_TLS_KEY", "this service's private key"),
    };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return grpcTls;
}
