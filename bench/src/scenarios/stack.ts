import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { InventoryService } from "@orderly/contracts/inventory";
import type { DevCertificateFiles } from "@orderly/kit/auth";
import { createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { type BenchDatabases, createDatabases, postgresAdminUrl } from "../lib/databases.ts";
import { freePort } from "../lib/free-port.ts";
import { openStatsReader, type StatsReader } from "../lib/pg-stats.ts";
import { round, sampleProcess, sleep, spawnTarget, type Target } from "../lib/processes.ts";
import type { ServiceStartup } from "../lib/result.ts";
import { nodeArgs, serviceDir, serviceEnv } from "../lib/target-env.ts";

/** Start order: peers first, order last (it calls the other three; fulfillment calls order back). */
export const STACK_SERVICES = ["inventory", "invoice", "fulfillment", "order"] as const;
export type StackService = (typeof STACK_SERVICES)[number];

export const CURRENCY = "EUR";
/** 50 SKUs for the mix, one for the hot-SKU variant; stock so large no order is ever short. */
export const SKUS: readonly string[] = Array.from(
  { length: 50 },
  (_, i) => `BENCH-SKU-${String(i + 1).padStart(3, "0")}`,
);
export const HOT_SKU = "BENCH-HOT-001";
export const SEED_STOCK = 1_000_000_000;
export const priceOf = (sku: string): number => 500 + ((sku.charCodeAt(sku.length - 1) * 37) % 50) * 100;

export interface Stack {
  readonly services: Record<StackService, Target>;
  readonly databases: BenchDatabases;
  readonly startup: ServiceStartup[];
  /** host:port of each service's gRPC server. */
  grpcAddress(service: StackService): string;
  httpUrl(service: StackService): string;
  /** With `tls`: the operator's client credentials, for the bench's own gRPC calls. */
  readonly grpcCredentials?: grpc.ChannelCredentials;
  /** PostgreSQL's counters of the four databases (undefined on PGlite). */
  readonly stats: StatsReader | undefined;
  /** Graceful stop (order first), then the databases stay for the consistency check. */
  stop(): Promise<void>;
}

/** Which services have no composition root yet (the stack cannot run without all four). */
export function missingServices(): StackService[] {
  return STACK_SERVICES.filter((s) => !existsSync(join(serviceDir(s), "src", "main.ts")));
}

/**
 * The four services as production runs them (`node --import @orderly/kit/tracing/register
 * src/main.ts`, telemetry on without an exporter, LOG_LEVEL=info), each in its own process with its
 * own fresh database, wired by static discovery (<PEER>_GRPC_ADDR) on free loopback ports. They are
 * started one at a time so each one's time to ready is its own; idle RSS is sampled once all four
 * have settled, before any load.
 */
export async function startStack(options: {
  cpuProfileDir: string | undefined;
  log: (line: string) => void;
  /** PGlite even when PostgreSQL is configured (the embedded default of `pnpm start`). */
  embedded?: boolean;
  /** Extra environment for every service (`OTEL_SDK_DISABLED` for the embedded default). */
  env?: Record<string, string>;
  /** Extra environment for one service (the auth-cost scenario turns the order service's gate on). */
  serviceEnv?: Partial<Record<StackService, Record<string, string>>>;
  /** GRPC_TLS_* for every service from these certificates: mTLS and caller allowlists on, as deployed. */
  tls?: DevCertificateFiles;
}): Promise<Stack> {
  const databases = await createDatabases(STACK_SERVICES, { embedded: options.embedded === true });
  const started: Partial<Record<StackService, Target>> = {};
  try {
    const grpcPorts = {} as Record<StackService, number>;
    for (const s of STACK_SERVICES) grpcPorts[s] = await freePort();
    const addr = (s: StackService) => `127.0.0.1:${grpcPorts[s]}`;
    for (const name of STACK_SERVICES) {
      started[name] = await spawnTarget({
        name,
        nodeArgs: nodeArgs({ telemetry: true, cpuProfileDir: options.cpuProfileDir, name }),
        script: "src/main.ts",
        cwd: serviceDir(name),
        env: serviceEnv({
          GRPC_PORT: String(grpcPorts[name]),
          DATABASE_URL: databases.urls[name],
          INVENTORY_GRPC_ADDR: addr("inventory"),
          INVOICE_GRPC_ADDR: addr("invoice"),
          FULFILLMENT_GRPC_ADDR: addr("fulfillment"),
          ORDER_GRPC_ADDR: addr("order"),
          ...options.env,
          ...(options.tls
            ? {
                GRPC_TLS_CA: options.tls.ca,
                GRPC_TLS_CERT: options.tls.certFile(name),
                GRPC_TLS_KEY: options.tls.keyFile(name),
              }
            : {}),
          ...options.serviceEnv?.[name],
        }),
        // PGlite initializes a new data directory in-process (~3 s idle, 35-45 s seen on a loaded box).
        readyTimeoutMs: options.embedded ? 180_000 : 60_000,
      });
      options.log(`  stack: ${name} ready in ${round(started[name].readyMs)} ms`);
    }
    const services = started as Record<StackService, Target>;
    await sleep(3000);
    const startup = STACK_SERVICES.map((name) => ({
      name,
      readyMs: round(services[name].readyMs),
      idleRssMb: round((sampleProcess(services[name].pid)?.rssBytes ?? 0) / 1024 / 1024, 1),
    }));
    const adminUrl = postgresAdminUrl();
    // Without the counters the scenarios still run; the commits gate then says they were not read.
    const stats =
      databases.kind === "postgres" && adminUrl
        ? await openStatsReader(
            adminUrl,
            Object.fromEntries(
              Object.entries(databases.urls).map(([s, url]) => [s, new URL(url).pathname.slice(1)]),
            ),
          ).catch((error: unknown) => {
            options.log(`  stack: database counters unavailable: ${String(error)}`);
            return undefined;
          })
        : undefined;
    return {
      services,
      databases,
      startup,
      stats,
      grpcAddress: (s) => `127.0.0.1:${services[s].grpcPort}`,
      ...(options.tls ? { grpcCredentials: operatorCredentials(options.tls) } : {}),
      httpUrl: (s) => `http://127.0.0.1:${services[s].httpPort}`,
      async stop() {
        for (const name of ["order", "fulfillment", "invoice", "inventory"] as const)
          await services[name].stop();
        await stats?.close();
      },
    };
  } catch (error) {
    await Promise.all(Object.values(started).map((t) => t.stop(2000)));
    await databases.drop();
    throw error;
  }
}

/** The operator's certificate: items and stock adjustments are operators' calls. */
function operatorCredentials(tls: DevCertificateFiles): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(
    readFileSync(tls.ca),
    readFileSync(tls.keyFile("operator")),
    readFileSync(tls.certFile("operator")),
  );
}

/** Upserts the 50 SKUs and the hot SKU through inventory's gRPC API and stocks them up. */
export async function seedInventory(
  stack: Pick<Stack, "grpcAddress"> & Partial<Pick<Stack, "grpcCredentials">>,
): Promise<void> {
  const client = createGrpcClient(InventoryService, {
    ...(stack.grpcCredentials ? { credentials: stack.grpcCredentials } : {}),
    target: stack.grpcAddress("inventory"),
    peer: "inventory",
    log: createLogger({ service: "bench", version: "0", instance: "bench", level: "silent" }),
    metrics: createMetrics({ service: "bench", version: "0", collectDefault: false }),
    defaultDeadlineMs: 20_000,
  });
  try {
    const seedOne = async (sku: string) => {
      await client.upsertItem({
        sku,
        name: `Bench item ${sku}`,
        unitPrice: { currencyCode: CURRENCY, amountMinor: BigInt(priceOf(sku)) },
      });
      await client.adjustStock({
        sku,
        delta: BigInt(SEED_STOCK),
        reason: "bench seed",
        adjustmentId: `bench-seed-${sku}`,
      });
    };
    const all = [...SKUS, HOT_SKU];
    for (let i = 0; i < all.length; i += 8) await Promise.all(all.slice(i, i + 8).map(seedOne));
  } finally {
    client.close();
  }
}
