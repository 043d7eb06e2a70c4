import { type FaultProxy, startFaultProxy } from "../proxy/fault-proxy.ts";
import { type CanaryCounters, canaryVerdict, parseCanaryCounters } from "../report/canary-counters.ts";
import { CANARY_SHARE, CANARY_VERSION, serviceOf } from "../stack/chaos-stack.ts";
import { consulOf, deregisterInstance, registerInstance } from "../stack/consul-instances.ts";
import type { Fault, FaultContext } from "./fault.ts";

const CANARY = "inventory-canary";
/** Longer than order's 2 s peer deadline: every call the canary takes times out on the caller's side. */
const BROKEN_LATENCY_MS = 3000;
/** Roll back when more than 10 % of at least 10 attempts since the canary broke failed. */
const RULE = { maxErrorRate: 0.1, minCalls: 10 };
const WATCH_INTERVAL_MS = 500;
const WATCH_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The order replicas' canary counters for inventory, summed: the watcher's only input. */
async function orderSideCounters(ctx: FaultContext): Promise<CanaryCounters> {
  const replicas = ctx.stack.processes().filter(({ name }) => serviceOf(name) === "order");
  const each = await Promise.all(
    replicas.map(async ({ target }) => {
      try {
        const response = await fetch(`http://127.0.0.1:${target.httpPort}/metrics`, {
          signal: AbortSignal.timeout(3000),
        });
        return parseCanaryCounters(await response.text(), "inventory");
      } catch {
        return { calls: 0, errors: 0 };
      }
    }),
  );
  return each.reduce((a, b) => ({ calls: a.calls + b.calls, errors: a.errors + b.errors }), {
    calls: 0,
    errors: 0,
  });
}

const pct = (rate: number) => `${Math.round(rate * 100)} %`;

/**
 * A canary of inventory (SERVICE_VERSION = the order replicas' CANARY_VERSION) joins under load
 * and takes its share, registered by the suite at the address of a fault proxy in front of it (as
 * a deploy tool or sidecar registers a pod; the canary itself runs without CONSUL_HTTP_ADDR). Then
 * the canary turns bad: its answers come 3 s late (every call it takes exceeds the callers'
 * deadline, as a bad release's would, while it stays up and "healthy"). The suite watches the
 * canary's error rate from the order replicas' /metrics and rolls back past the threshold:
 * deregisters it, so the callers' canary channel empties, then SIGTERMs it. Goal: 0 failed
 * client requests.
 */
export function canaryRollback(): Fault {
  let broken: { at: number; counters: CanaryCounters; proxy: FaultProxy } | undefined;
  return {
    name: `canary of inventory (${CANARY_SHARE * 100} %) failing, rolled back on its error rate`,
    stack: "consul",
    zeroFailures: true,
    holdMs: 0,
    inject: async (ctx) => {
      const agent = consulOf(ctx.stack);
      const target = await ctx.stack.startExtra(CANARY, {
        SERVICE_VERSION: CANARY_VERSION,
        CONSUL_HTTP_ADDR: undefined,
      });
      const proxy = await startFaultProxy({
        name: `order->${CANARY}`,
        targetPort: target.grpcPort as number,
      });
      const joined = await orderSideCounters(ctx);
      await registerInstance(agent, {
        id: CANARY,
        service: "inventory",
        port: proxy.port,
        version: CANARY_VERSION,
      });
      const started = performance.now();
      let healthy = joined;
      while (healthy.calls - joined.calls < RULE.minCalls && performance.now() - started < 30_000) {
        await sleep(WATCH_INTERVAL_MS);
        healthy = await orderSideCounters(ctx);
      }
      ctx.note(
        `healthy canary took ${healthy.calls - joined.calls} attempts (${healthy.errors - joined.errors} failed) in ${Math.round(performance.now() - started)} ms`,
      );
      proxy.setDelay({ latencyMs: BROKEN_LATENCY_MS }, "downstream");
      broken = { at: performance.now(), counters: healthy, proxy };
    },
    heal: async (ctx) => {
      if (!broken) throw new Error("canary row healed before it was injected");
      let verdict = canaryVerdict(broken.counters, broken.counters, RULE);
      while (!verdict.rollBack && performance.now() - broken.at < WATCH_TIMEOUT_MS) {
        await sleep(WATCH_INTERVAL_MS);
        verdict = canaryVerdict(broken.counters, await orderSideCounters(ctx), RULE);
      }
      const seenMs = Math.round(performance.now() - broken.at);
      ctx.note(
        verdict.rollBack
          ? `error rate ${pct(verdict.rate)} (${verdict.errors} of ${verdict.calls} attempts) > ${pct(RULE.maxErrorRate)} ${seenMs} ms after it broke: rolled back`
          : `error rate never over ${pct(RULE.maxErrorRate)} within ${seenMs} ms (${verdict.errors} of ${verdict.calls}): rolled back anyway`,
      );
      const rolling = performance.now();
      await deregisterInstance(consulOf(ctx.stack), CANARY);
      await ctx.stack.stopExtra(CANARY);
      await broken.proxy.close();
      const gone = await orderSideCounters(ctx);
      await sleep(2000);
      const later = await orderSideCounters(ctx);
      ctx.note(
        `deregistered and stopped in ${Math.round(performance.now() - rolling - 2000)} ms; attempts sent to it in the 2 s after: ${later.calls - gone.calls}`,
      );
      broken = undefined;
    },
  };
}
