/**
 * `pnpm --dir bench run bench:auth [--seconds=N] [--connections=N]`: what the bearer-token gate
 * costs. One run starts the full stack twice, the order service first with AUTH_DISABLED=true and
 * then verifying an ES256 JWT (AUTH_JWKS_FILE) on every request, and measures the same two loads on
 * each: POST /v1/orders and OrderService/GetOrder. The figure is the four services' CPU per request
 * (the order service does the verifying; the peers' share is the same both ways). Results go to
 * bench/results/auth-cost.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSigningKey, jwksOf, signToken } from "@orderly/kit/auth";
import { loadAverage, machineInfo } from "./lib/machine.ts";
import type { StackScenarioResult } from "./lib/result.ts";
import { BENCH_DIR } from "./lib/target-env.ts";
import { OrderLedger } from "./scenarios/order-ledger.ts";
import { orderCreateHttp, orderGet, type StackPlan, settleOrders } from "./scenarios/orders.ts";
import { seedInventory, startStack } from "./scenarios/stack.ts";

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

interface ModeResult {
  auth: "off" | "on";
  create: StackScenarioResult;
  get: StackScenarioResult;
}

async function runMode(auth: "off" | "on", jwksFile: string, authorization: string): Promise<ModeResult> {
  log(`auth ${auth}: starting the stack`);
  const stack = await startStack({
    cpuProfileDir: undefined,
    log,
    ...(auth === "on"
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
      ...(auth === "on" ? { authorization } : {}),
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
  const off = await runMode("off", jwksFile, `Bearer ${token}`);
  const on = await runMode("on", jwksFile, `Bearer ${token}`);
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
  const summary = [row("POST /v1/orders", off.create, on.create), row("GetOrder (gRPC)", off.get, on.get)];
  const report = {
    command: `pnpm --dir bench run bench:auth --seconds=${seconds} --connections=${connections}`,
    machine: { ...machine, loadAtEnd: loadAverage() },
    seconds,
    connections,
    summary,
    runs: [off, on],
  };
  writeFileSync(join(BENCH_DIR, "results", "auth-cost.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log("\nCPU per request of the four services, auth off vs on:");
  console.table(summary);
  console.log(
    `load average at start ${machine.loadAtStart.join(" / ")}, at end ${loadAverage().join(" / ")}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
