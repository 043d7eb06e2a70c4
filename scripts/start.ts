/**
 * `pnpm start`: the four services as separate processes on embedded PGlite databases under .data/,
 * with static discovery between them; seeds a demo catalogue once; prints what to try. Ctrl-C
 * stops all four gracefully.
 *
 * Each service runs in its own process group (`detached`): Ctrl-C in a terminal signals the whole
 * foreground group, and a service that got that SIGINT and then the launcher's SIGTERM took the
 * second signal as "force exit" and skipped its drain. Now only the launcher hears Ctrl-C (or
 * SIGTERM, SIGHUP) and sends each service exactly one SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { InventoryService } from "@orderly/contracts/inventory";
import { clientTls, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { DEMO_CURRENCY, DEMO_ITEMS } from "./demo-catalogue.ts";
import { type LauncherAuth, launcherAuth } from "./dev-auth.ts";
import { bufCurlTlsFlags, ensureDevCerts, grpcTlsEnv, readIdentity } from "./dev-certs.ts";
import { formatLogLine } from "./log-lines.ts";

const root = join(import.meta.dirname, "..");
// Lets a test (or a second checkout) run the whole stack beside another one.
const offset = Number(process.env.ORDERLY_PORT_OFFSET ?? "0");
const dataDir = process.env.ORDERLY_DATA_DIR ?? join(root, ".data");

const SERVICES = [
  { name: "inventory", http: 8081, grpc: 50052 },
  { name: "invoice", http: 8082, grpc: 50053 },
  { name: "fulfillment", http: 8083, grpc: 50054 },
  { name: "order", http: 8080, grpc: 50051 },
] as const;
const port = (p: number) => p + offset;
// Every gRPC port speaks TLS with a certificate from the dev CA: internal RPCs know their callers.
const certs = ensureDevCerts(dataDir);
const grpcAddress = (name: string) => `127.0.0.1:${port(SERVICES.find((s) => s.name === name)?.grpc ?? 0)}`;

// A dev signing key under dataDir: the services verify tokens (secure by default) and serve API docs.
mkdirSync(dataDir, { recursive: true });
const auth: LauncherAuth = await launcherAuth(dataDir, process.env.AUTH_DISABLED === "true");

const children = new Map<string, ChildProcess>();
const exitCodes = new Map<string, number>();
let stopping = false;

function startService(service: (typeof SERVICES)[number]): ChildProcess {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ["--import", "@orderly/kit/tracing/register", "src/main.ts"], {
    cwd: join(root, "services", service.name),
    env: {
      ...process.env,
      HTTP_PORT: String(port(service.http)),
      GRPC_PORT: String(port(service.grpc)),
      DATABASE_URL: process.env.DATABASE_URL_PREFIX
        ? `${process.env.DATABASE_URL_PREFIX}${service.name}`
        : `pglite:${join(dataDir, service.name)}`,
      SERVICE_ADDRESS: "127.0.0.1",
      INVENTORY_GRPC_ADDR: grpcAddress("inventory"),
      INVOICE_GRPC_ADDR: grpcAddress("invoice"),
      FULFILLMENT_GRPC_ADDR: grpcAddress("fulfillment"),
      ORDER_GRPC_ADDR: grpcAddress("order"),
      SHUTDOWN_PROPAGATION_DELAY_MS: process.env.SHUTDOWN_PROPAGATION_DELAY_MS ?? "0",
      OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? "true",
      EXPOSE_API_DOCS: process.env.EXPOSE_API_DOCS ?? "true",
      ...auth.env,
      ...grpcTlsEnv(certs, service.name),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on("line", (line) => console.log(formatLogLine(service.name, line)));
  }
  child.on("exit", (code, signal) => {
    children.delete(service.name);
    exitCodes.set(service.name, code ?? 1);
    if (!stopping) {
      console.error(`${service.name} exited (${code ?? signal}); stopping the others`);
      void stopAll(1);
    }
  });
  children.set(service.name, child);
  return child;
}

async function waitReady(service: (typeof SERVICES)[number], timeoutMs = 120_000): Promise<void> {
  const url = `http://127.0.0.1:${port(service.http)}/health/ready`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error("stopping");
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} not ready at ${url} after ${timeoutMs} ms`);
}

/** Upserts the demo items and tops stock up with fixed adjustment ids, so a restart changes nothing. */
async function seedCatalogue(): Promise<void> {
  const log = createLogger({ service: "start", version: "0", instance: "start", level: "silent" });
  // Items and stock adjustments are operators' calls: the launcher makes them as the operator.
  const tls = clientTls(readIdentity(certs, "operator"), "inventory");
  const client = createGrpcClient(InventoryService, {
    ...tls,
    target: grpcAddress("inventory"),
    peer: "inventory",
    log,
    metrics: createMetrics({ service: "start", version: "0", collectDefault: false }),
  });
  // UpsertItem and AdjustStock are operators' calls: they need an admin token.
  const asAdmin = auth.adminAuthorization ? { metadata: { authorization: auth.adminAuthorization } } : {};
  try {
    for (const item of DEMO_ITEMS) {
      await client.upsertItem(
        {
          sku: item.sku,
          name: item.name,
          unitPrice: { currencyCode: DEMO_CURRENCY, amountMinor: BigInt(item.priceMinor) },
        },
        asAdmin,
      );
      await client.adjustStock(
        {
          sku: item.sku,
          delta: BigInt(item.stock),
          reason: "demo catalogue",
          adjustmentId: `demo-seed-${item.sku}`,
        },
        asAdmin,
      );
    }
  } finally {
    client.close();
  }
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once("exit", () => resolve()),
      ),
  );
  // Order first, so it stops calling the others while they drain.
  for (const name of ["order", "fulfillment", "invoice", "inventory"]) children.get(name)?.kill("SIGTERM");
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 20_000))]);
  const stuck = [...children.keys()];
  for (const child of children.values()) child.kill("SIGKILL");
  const failed = [...exitCodes].filter(([, c]) => c !== 0).map(([name, c]) => `${name} (${c})`);
  if (stuck.length > 0) console.error(`killed after 20 s without stopping: ${stuck.join(", ")}`);
  if (failed.length > 0) console.error(`did not stop cleanly: ${failed.join(", ")}`);
  else if (stuck.length === 0 && code === 0) console.log("all services stopped cleanly");
  process.exit(stuck.length > 0 || failed.length > 0 ? Math.max(code, 1) : code);
}

function printWelcome(): void {
  const order = `http://localhost:${port(8080)}`;
  // The CLI finds this stack on its own; a port offset and a data directory (its token and
  // certificates live there) have to be passed on.
  const cliEnv = [
    ...(offset === 0 ? [] : [`ORDERLY_PORT_OFFSET=${offset}`]),
    ...(process.env.ORDERLY_DATA_DIR ? [`ORDERLY_DATA_DIR=${dataDir}`] : []),
  ];
  const cli = [...cliEnv, "pnpm orderly"].join(" ");
  const address = `--name "Ada Lovelace" --line1 "12 Analytical St" --city London --postal-code "N1 9GU" --country GB`;
  const body = JSON.stringify({
    customer_id: "demo-customer",
    lines: [
      { sku: "MUG-BLUE", quantity: 2 },
      { sku: "SOCKS-3PK", quantity: 1 },
    ],
    shipping_address: {
      name: "Ada Lovelace",
      line1: "12 Analytical St",
      city: "London",
      postal_code: "N1 9GU",
      country_code: "GB",
    },
  });
  const bearer = auth.customerToken ? ` -H "authorization: Bearer ${auth.customerToken}"` : "";
  const grpcBearer = auth.customerToken ? ` -H "authorization: Bearer ${auth.customerToken}"` : "";
  const tokenCommand = `${process.env.ORDERLY_DATA_DIR ? `ORDERLY_DATA_DIR=${dataDir} ` : ""}pnpm -s run token`;
  const operatorBearer = auth.customerToken
    ? ` -H "authorization: Bearer $(${tokenCommand} --sub operator --scope admin)"`
    : "";
  const lines = [
    "",
    `Orderly is running (embedded PGlite under ${dataDir}, static discovery). Ctrl-C stops all four.`,
    "",
    ...SERVICES.map(
      (s) =>
        `  ${s.name.padEnd(12)} http://localhost:${port(s.http)}  (health, metrics, openapi.json)   grpc localhost:${port(s.grpc)}`,
    ),
    "",
    'Try the orderly CLI (`pnpm orderly --help`; README: "One order end to end"):',
    `  ${cli} items list`,
    `  ${cli} orders create --customer demo-customer --line MUG-BLUE:2 --line SOCKS-3PK:1 ${address}`,
    `  ${cli} orders list --customer demo-customer`,
    `  ${cli} orders watch <order id>`,
    `  ${cli} shipments advance <shipment id> --to PICKING`,
    "",
    "Or over HTTP, with a demo-customer token (orders:read orders:write invoices:read, valid 24 h;",
    `mint others with \`pnpm run token --sub alice --scope "orders:read orders:write"\`):`,
    `  curl -s -X POST ${order}/v1/orders -H 'content-type: application/json' -H "idempotency-key: $(date +%s%N)"${bearer} -d '${body}'`,
    "",
    "Or raw gRPC through reflection (no proto files; TLS with the dev CA in certs/):",
    `  pnpm exec buf curl --protocol grpc ${bufCurlTlsFlags(certs)}${grpcBearer} -d '{"customer_id":"demo-customer"}' https://localhost:${port(50051)}/orderly.order.v1.OrderService/ListOrders`,
    "  and an operator's call to an internal service: the operator certificate and an admin token:",
    `  pnpm exec buf curl --protocol grpc ${bufCurlTlsFlags(certs, "operator")}${operatorBearer} -d '{"sku":"MUG-BLUE"}' https://localhost:${port(50052)}/orderly.inventory.v1.InventoryService/ListAdjustments`,
    "",
  ];
  console.log(lines.join("\n"));
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
// The terminal closed: stop as for Ctrl-C (the services are no longer in the terminal's group).
process.on("SIGHUP", () => void stopAll(0));
// Services in their own groups would outlive a launcher that dies unexpectedly: never leave them behind.
process.on("exit", () => {
  for (const child of children.values()) child.kill("SIGKILL");
});

try {
  for (const service of SERVICES) startService(service);
  await Promise.all(SERVICES.map((s) => waitReady(s)));
  await seedCatalogue();
  printWelcome();
} catch (error) {
  if (!stopping) {
    console.error(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}
