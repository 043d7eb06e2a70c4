import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OrderlyClientOptions } from "@orderly/client";
import { UsageError } from "./usage-error.ts";

/** The environment the CLI reads; passed in (never read from process.env here) so tests can set it. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface GlobalFlags {
  address?: string | undefined;
  token?: string | undefined;
}

/** The embedded stack's default gRPC ports (`pnpm start`); ORDERLY_PORT_OFFSET shifts all of them. */
const GRPC_PORTS = { order: 50051, inventory: 50052, invoice: 50053, fulfillment: 50054 } as const;
const INVOICE_HTTP_PORT = 8082;

/**
 * Where to connect and with what, in this order: flags, then ORDERLY_* variables, then the embedded
 * stack (127.0.0.1, default ports + ORDERLY_PORT_OFFSET, a token and certificates under
 * ORDERLY_DATA_DIR, default .data, when those files exist).
 *
 * `--address` / ORDERLY_ADDRESS is one address for every service (a gateway, or a port-forward);
 * ORDERLY_<SERVICE>_ADDRESS and ORDERLY_INVOICE_URL override one service each.
 */
export function clientOptions(flags: GlobalFlags, env: Env, cwd: string): OrderlyClientOptions {
  const offset = portOffset(env);
  const host = "127.0.0.1";
  const shared = flags.address ?? env.ORDERLY_ADDRESS;
  const grpc = (name: keyof typeof GRPC_PORTS) =>
    env[`ORDERLY_${name.toUpperCase()}_ADDRESS`] ?? shared ?? `${host}:${GRPC_PORTS[name] + offset}`;
  const dataDir = resolve(cwd, env.ORDERLY_DATA_DIR ?? ".data");
  const token = flags.token ?? env.ORDERLY_TOKEN ?? readIfExists(join(dataDir, "token"))?.trim();
  const tls = tlsFiles(join(dataDir, "certs"));
  return {
    address: grpc("order"),
    addresses: { inventory: grpc("inventory"), invoice: grpc("invoice"), fulfillment: grpc("fulfillment") },
    invoiceHttpUrl: env.ORDERLY_INVOICE_URL ?? `http://${host}:${INVOICE_HTTP_PORT + offset}`,
    ...(token ? { token } : {}),
    ...(tls ? { tls } : {}),
  };
}

function portOffset(env: Env): number {
  const raw = env.ORDERLY_PORT_OFFSET;
  if (raw === undefined || raw === "") return 0;
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 10_000)
    throw new UsageError(`ORDERLY_PORT_OFFSET must be a whole number from 0 to 10000, got "${raw}"`);
  return offset;
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/**
 * certs/ca.pem (trust) and the operator's certs/operator.pem + certs/operator-key.pem (mTLS: the
 * internal services' item, stock and shipment calls admit the operator), when `pnpm start` made them.
 */
function tlsFiles(dir: string): OrderlyClientOptions["tls"] | undefined {
  const ca = readIfExists(join(dir, "ca.pem"));
  if (ca === undefined) return undefined;
  const cert = readIfExists(join(dir, "operator.pem"));
  const key = readIfExists(join(dir, "operator-key.pem"));
  return { ca, ...(cert && key ? { cert, key } : {}) };
}
