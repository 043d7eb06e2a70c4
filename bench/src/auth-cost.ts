/**
 * `pnpm --dir bench run bench:auth [--seconds=N] [--connections=N]`: what the security gates cost.
 * One run starts the full stack three times: plaintext without tokens, mTLS without tokens, and
 * mTLS with the order service verifying an ES256 JWT (AUTH_JWKS_FILE) on every request. Each gets
 * the same two loads, POST /v1/orders and OrderService/GetOrder; the figure is the four services'
 * CPU per request. Tokens are measured with mTLS on both sides: with tokens on, internal calls
 * need a service identity. Results go to bench/results/auth-cost.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createSigningKey,
  type DevCertificateFiles,
  jwksOf,
  signToken,
  writeDevCertificates,
} from "@orderly/kit/auth";
import { loadAverage, machineInfo } from "./lib/machine.ts";
import type { StackScenarioResult } from "./lib/result.ts";
import { BENCH_DIR } from "./lib/target-env.ts";
import { OrderLedger } from "./scenarios/order-ledger.ts";
import { orderCreateHttp, orderGet, type StackPlan, settleOrders } from "./scenarios/orders.ts";
import { STACK_SERVICES, seedInventory, startStack } from "./scenarios/stack.ts";

const arg = (name: string, fallback: number) => {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const seconds = arg("seconds", 10);
const connections = arg("connections", 16);
const log = (line: string) => console.log(line);

const ISSUER = "https://auth.bench.orderly";
const AUDIENCE = "orderly-bench";

type Mode = "off" | "off-tls" | "on-tls";

interface ModeResult {
  auth: Mode;
  create: StackScenarioResult;
  get: StackScenarioResult;
}

async function runMode(
  auth: Mode,
  jwksFile: string,
  authorization: string,
  certificates: DevCertificateFiles,
): Promise<ModeResult> {
  log(`auth ${auth}: starting the stack`);
  const stack = await startStack({
    cpuProfileDir: undefined,
    log,
    ...(auth === "off" ? {} : { tls: certificates }),
    ...(auth === "on-tls"
      ? {
          serviceEnv: {
            order: {
              AUTH_DISABLED: "false",
              AUTH_JWKS_FILE: jwksFile,
              AUTH_ISSUER: ISSUER,
              AUTH_AUDIENCE: AUDIENCE,
            },
          },
        }
      : {}),
  });
  const ledger = new OrderLedger();
  try {
    await seedInventory(stack);
    const plan: StackPlan = {
      connections,
      warmupSeconds: Math.min(3, seconds),
      seconds,
      log,
      ...(auth === "on-tls" ? { authorization } : {}),
    };
    const create = await orderCreateHttp(stack, ledger, plan, {
      hot: false,
      name: `order-create (auth ${auth})`,
    });
    const get = await orderGet(stack, ledger, plan);
    await settleOrders(stack, ledger, log);
    return { auth, create, get };
  } finally {
    await stack.stop();
    await stack.databases.drop();
  }
}

const dir = mkdtempSync(join(tmpdir(), "orderly-bench-auth-"));
try {
  const key = await createSigningKey();
  const jwksFile = join(dir, "jwks.json");
  writeFileSync(jwksFile, jwksOf([key]));
  // admin: the bench's customers vary per order; the verification work is the same for any token.
  const token = await signToken(key, {
    subject: "bench",
    scopes: ["orders:read", "orders:write", "admin"],
    issuer: ISSUER,
    audience: AUDIENCE,
    ttlSeconds: 24 * 3600,
  });
  const machine = machineInfo();
  // With tokens on, an internal call is refused without a service identity (RecordShipmentEvent,
  // fulfillment -> order), so the token gate is measured with mTLS on both sides of the comparison;
  // the plaintext run shows what mTLS itself costs.
  const certificates = writeDevCertificates(join(dir, "certs"), [...STACK_SERVICES, "operator"]);
  const plain = await runMode("off", jwksFile, `Bearer ${token}`, certificates);
  const off = await runMode("off-tls", jwksFile, `Bearer ${token}`, certificates);
  const on = await runMode("on-tls", jwksFile, `Bearer ${token}`, certificates);
  const row = (what: string, a: StackScenarioResult, b: StackScenarioResult) => ({
    what,
    cpuMsPerRequestOff: a.cpuMsPerRequest ?? Number.NaN,
    cpuMsPerRequestOn: b.cpuMsPerRequest ?? Number.NaN,
    extraCpuPercent:
      Math.round(
        (((b.cpuMsPerRequest ?? Number.NaN) - (a.cpuMsPerRequest ?? Number.NaN)) /
          (a.cpuMsPerRequest ?? Number.NaN)) *
          1000,
      ) / 10,
    rpsOff: Math.round(a.stats.rps),
    rpsOn: Math.round(b.stats.rps),
    errorsOff: a.stats.errors + a.stats.non2xx,
    errorsOn: b.stats.errors + b.stats.non2xx,
  });
  const summary = [
    row("POST /v1/orders: tokens, mTLS on both", off.create, on.create),
    row("GetOrder (gRPC): tokens, mTLS on both", off.get, on.get),
    row("POST /v1/orders: mTLS, no tokens", plain.create, off.create),
    row("GetOrder (gRPC): mTLS, no tokens", plain.get, off.get),
  ];
  const report = {
    command: `pnpm --dir bench run bench:auth --seconds=${seconds} --connections=${connections}`,
    machine: { ...machine, loadAtEnd: loadAverage() },
    seconds,
    connections,
    summary,
    runs: [plain, off, on],
  };
  writeFileSync(join(BENCH_DIR, "results", "auth-cost.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log("\nCPU per request of the four services, without vs with each gate:");
  console.table(summary);
  console.log(
    `load average at start ${machine.loadAtStart.join(" / ")}, at end ${loadAverage().join(" / ")}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
