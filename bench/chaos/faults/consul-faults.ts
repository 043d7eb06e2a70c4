import { consulOf, waitPassing } from "../stack/consul-instances.ts";
import type { Fault, FaultContext } from "./fault.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** gRPC ports of every standing process: what must be registered and passing again. */
function standingPorts(ctx: FaultContext): number[] {
  return ctx.stack.names().map((n) => ctx.stack.process(n).grpcPort as number);
}

/**
 * The Consul agent gone for `holdMs`, then back with an empty catalog (a restart without its data
 * directory, the harder case): the order replicas must keep calling the peers they last knew, and
 * every instance must register again on its own.
 */
export function consulGone(holdMs: number): Fault {
  return {
    name: `Consul agent gone ${holdMs / 1000} s (back empty)`,
    stack: "consul",
    zeroFailures: true,
    holdMs,
    inject: (ctx) => consulOf(ctx.stack).stop(),
    heal: async (ctx) => {
      const agent = consulOf(ctx.stack);
      await agent.restart({ keepCatalog: false });
      const ms = await waitPassing(agent, standingPorts(ctx), 60_000);
      ctx.note(
        `all ${ctx.stack.names().length} instances registered again ${ms} ms after the agent came back`,
      );
    },
  };
}

/** After an instance passes again, time for the callers' blocking watches to add it back. */
const WATCH_SETTLE_MS = 1500;

/**
 * Every process restarted in turn under load, peers first and the order replicas last, each with
 * SIGTERM (critical in Consul, deregistered, propagation wait, drain) and started again; the next
 * goes once the new one passes its check, so each service always has an instance serving.
 */
export const rollingRestart: Fault = {
  name: "rolling restart of every service (SIGTERM, one instance at a time)",
  stack: "consul",
  zeroFailures: true,
  holdMs: 0,
  inject: async (ctx) => {
    const agent = consulOf(ctx.stack);
    const times: string[] = [];
    for (const name of ctx.stack.names()) {
      const started = performance.now();
      const code = await ctx.stack.process(name).stop(15_000);
      const target = await ctx.stack.restart(name);
      await waitPassing(agent, [target.grpcPort as number], 30_000);
      await sleep(WATCH_SETTLE_MS);
      times.push(
        `${name} ${Math.round(performance.now() - started)} ms${code === 0 ? "" : ` (exit ${code})`}`,
      );
    }
    ctx.note(`restarted (stop to passing + ${WATCH_SETTLE_MS} ms): ${times.join(", ")}`);
  },
  heal: () => undefined,
};
