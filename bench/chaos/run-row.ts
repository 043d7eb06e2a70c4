import { checkConsistency } from "../src/scenarios/consistency.ts";
import type { OrderLedger } from "../src/scenarios/order-ledger.ts";
import type { Fault, FaultContext } from "./faults/fault.ts";
import { OpenLoad } from "./load/open-load.ts";
import type { OrderClientOptions } from "./load/order-client.ts";
import { rowStats } from "./report/row-stats.ts";
import { addCounters, type Counters, scrapeCounters, ZERO } from "./report/service-counters.ts";
import type { Row } from "./report/table.ts";
import type { ProcessName } from "./stack/chaos-stack.ts";

export interface RowPlan {
  steadyRate: number;
  capacity: number;
  /** Unloaded p99 of the steady load (ms): the yardstick for "clean" and overload's bound. */
  unloadedP99Ms: number;
  beforeMs: number;
  afterMs: number;
  settleTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counters per pid, so a restarted replica's fresh counters are not subtracted from its
 * predecessor's; a process that did not answer is left out (not counted as zero).
 */
async function scrapeAll(ctx: FaultContext): Promise<Map<number, Counters>> {
  const out = new Map<number, Counters>();
  await Promise.all(
    ctx.stack.processes().map(async ({ target }) => {
      const counters = await scrapeCounters(`http://127.0.0.1:${target.httpPort}`);
      if (counters) out.set(target.pid, counters);
    }),
  );
  return out;
}

function diff(before: Map<number, Counters>, after: Map<number, Counters>, circuitOpen: number): Counters {
  let total: Counters = { ...ZERO };
  for (const [pid, a] of after) {
    const b = before.get(pid) ?? ZERO;
    total = addCounters(total, {
      rpcRetries: a.rpcRetries - b.rpcRetries,
      sagaRetries: a.sagaRetries - b.sagaRetries,
      compensations: a.compensations - b.compensations,
      shedHttp: a.shedHttp - b.shedHttp,
      shedGrpc: a.shedGrpc - b.shedGrpc,
      stepCalls: a.stepCalls - b.stepCalls,
      circuitOpen: 0,
    });
  }
  return { ...total, circuitOpen };
}

/**
 * One row: steady load, the fault injected and held, healed, the after window, the load stopped
 * (every request answered or given up), then the settle phase: unanswered requests replayed with
 * their key, and the invariant check repeated until it holds or the settle time is up.
 */
export async function runRow(
  fault: Fault,
  stackCtx: Omit<FaultContext, "note">,
  client: OrderClientOptions,
  ledger: OrderLedger,
  plan: RowPlan,
): Promise<Row> {
  const notes: string[] = [];
  const ctx: FaultContext = {
    ...stackCtx,
    note: (line) => {
      notes.push(line);
      stackCtx.log(`    ${line}`);
    },
  };
  ctx.log(`  ${fault.name}`);
  const all: readonly ProcessName[] = ctx.stack.names();
  const pids = new Map(all.map((n) => [n, ctx.stack.process(n).pid]));
  const load = new OpenLoad(client, { rate: plan.steadyRate, maxInFlight: 512 });
  const before = await scrapeAll(ctx);
  let circuitOpen = 0;
  // The last sample of each pid: a process stopped during the row (a restart) still counts up to then.
  const lastSeen = new Map<number, Counters>();
  const sampler = setInterval(() => {
    void scrapeAll(ctx).then((m) => {
      for (const [pid, c] of m) {
        circuitOpen = Math.max(circuitOpen, c.circuitOpen);
        lastSeen.set(pid, c);
      }
    });
  }, 1000);
  load.start();
  await sleep(plan.beforeMs);
  const injectedAt = performance.now();
  await fault.inject(ctx);
  if (fault.rateDuringHold) load.setRate(fault.rateDuringHold(plan.steadyRate, plan.capacity));
  await sleep(fault.holdMs);
  await fault.heal(ctx);
  load.setRate(plan.steadyRate);
  const healedAt = performance.now();
  await sleep(plan.afterMs);
  await load.stop();
  const endedAt = performance.now();
  clearInterval(sampler);

  // A process that exited on its own (not the one the fault killed and restarted) crashed.
  const crashed: string[] = [];
  for (const name of all) {
    const target = ctx.stack.process(name);
    if (target.child.exitCode === null && target.child.signalCode === null) continue;
    const why = target.tail.filter((l) => /error|unhandled|throw/i.test(l)).slice(-3);
    crashed.push(`${name} (pid ${target.pid}, was ${pids.get(name)}): ${why.join(" / ") || "no log line"}`);
    ctx.log(`    ${name} crashed; restarting it`);
    await ctx.stack.restart(name);
  }

  const settleStarted = performance.now();
  let violations: string[] = [];
  for (;;) {
    await ledger.replayOutstanding();
    const result = await checkConsistency(ctx.stack.databases.urls, ledger);
    violations = result.problems;
    if (result.ok || performance.now() - settleStarted > plan.settleTimeoutMs) break;
    await sleep(1000);
  }
  const settleMs = Math.round(performance.now() - settleStarted);
  const counters = diff(before, new Map([...lastSeen, ...(await scrapeAll(ctx))]), circuitOpen);
  const cleanLatencyMs = Math.max(2 * plan.unloadedP99Ms, plan.unloadedP99Ms + 100);
  const stats = rowStats(load.records, { injectedAt, healedAt, endedAt }, cleanLatencyMs);

  const missed: string[] = [];
  if (violations.length > 0) missed.push(`${violations.length} invariant violation(s)`);
  if (crashed.length > 0) missed.push(`crashed: ${crashed.map((c) => c.split(" ")[0]).join(", ")}`);
  if (fault.zeroFailures && stats.failed > 0) missed.push(`${stats.failed} failed request(s)`);
  if (!fault.zeroFailures) {
    // Overload's goals: shed early, admitted p99 under 4x unloaded, full throughput within 5 s.
    if (stats.p99AdmittedDuringMs > 4 * plan.unloadedP99Ms)
      missed.push(`admitted p99 ${stats.p99AdmittedDuringMs} ms > 4x unloaded ${plan.unloadedP99Ms} ms`);
    if (stats.recoverMs === undefined || stats.recoverMs > 5000)
      missed.push(`recovery ${stats.recoverMs ?? "never"} ms > 5000 ms`);
    if (stats.firstAttemptShed === 0) missed.push("nothing shed (no 503 / Retry-After seen)");
  }
  if (load.skipped > 0) ctx.log(`    client saturated: ${load.skipped} arrivals skipped`);
  ctx.log(
    `    ${stats.requests} requests, ${stats.failed} failed ${JSON.stringify(stats.failures)}, p99 ${stats.p99BeforeMs}/${stats.p99DuringMs}/${stats.p99AfterMs} ms, recover ${stats.recoverMs ?? "never"} ms, settle ${settleMs} ms, violations ${violations.length}`,
  );
  for (const v of violations) ctx.log(`      ${v}`);
  return { fault: fault.name, stats, counters, violations, settleMs, crashed, missed, notes };
}
