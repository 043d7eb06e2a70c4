import { openDatabase } from "@orderly/kit/db";
import { PEERS, type Peer, SERVICES, type ServiceName } from "../stack/chaos-stack.ts";
import { canaryRollback } from "./canary-rollout.ts";
import { clockJump } from "./clock-jump.ts";
import { rollingRestart } from "./consul-faults.ts";
import type { Fault, FaultContext } from "./fault.ts";

interface PgCatalog {
  pg_stat_activity: { pid: number; datname: string | null };
}

/** Ends every session of the service's database, as an operator (or a failover) would. */
async function terminateBackends(ctx: FaultContext, service: ServiceName): Promise<number> {
  const name = new URL(ctx.stack.databases.urls[service] as string).pathname.slice(1);
  const admin = await openDatabase<PgCatalog>({ url: ctx.adminUrl, poolSize: 1 });
  try {
    const rows = await admin.db
      .selectFrom("pg_stat_activity")
      .select((eb) => eb.fn("pg_terminate_backend", ["pid"]).as("terminated"))
      .where("datname", "=", name)
      .execute();
    return rows.length;
  } finally {
    await admin.close();
  }
}

const heal = (peer: Peer) => (ctx: FaultContext) => ctx.stack.peerProxy(peer).heal();
const HOLD = 10_000;

function networkFaults(peer: Peer): Fault[] {
  const proxy = (ctx: FaultContext) => ctx.stack.peerProxy(peer);
  return [
    {
      name: `latency 50 ms order->${peer}`,
      zeroFailures: true,
      holdMs: HOLD,
      inject: (ctx) => proxy(ctx).setDelay({ latencyMs: 50 }, "downstream"),
      heal: heal(peer),
    },
    {
      name: `latency 500 ms order->${peer}`,
      zeroFailures: true,
      holdMs: HOLD,
      inject: (ctx) => proxy(ctx).setDelay({ latencyMs: 500 }, "downstream"),
      heal: heal(peer),
    },
    {
      name: `jitter 0-100 ms order->${peer}`,
      zeroFailures: true,
      holdMs: HOLD,
      inject: (ctx) => proxy(ctx).setDelay({ jitterMs: 100 }, "both"),
      heal: heal(peer),
    },
    {
      name: `bandwidth 32 KiB/s order->${peer}`,
      zeroFailures: true,
      holdMs: HOLD,
      inject: (ctx) => proxy(ctx).setDelay({ bytesPerSecond: 32 * 1024 }, "both"),
      heal: heal(peer),
    },
    {
      name: `connections reset order->${peer}`,
      zeroFailures: true,
      holdMs: 0,
      inject: (ctx) => {
        ctx.log(`    reset ${proxy(ctx).resetAll()} connection(s)`);
      },
      heal: heal(peer),
    },
    {
      name: `blackhole 10 s order->${peer}`,
      zeroFailures: true,
      holdMs: 10_000,
      inject: (ctx) => proxy(ctx).blackhole(),
      heal: heal(peer),
    },
    {
      name: `partition ${peer}->order (answers lost) 10 s`,
      zeroFailures: true,
      holdMs: 10_000,
      inject: (ctx) => proxy(ctx).partition("downstream"),
      heal: heal(peer),
    },
    {
      name: `connections silently dead order->${peer} (new ones work)`,
      zeroFailures: true,
      holdMs: 0,
      inject: (ctx) => {
        ctx.log(`    stranded ${proxy(ctx).strandOpen()} connection(s)`);
      },
      heal: heal(peer),
    },
  ];
}

const pgFaults: Fault[] = SERVICES.map((service) => ({
  name: `pg_terminate_backend ${service}`,
  zeroFailures: true,
  holdMs: 0,
  inject: async (ctx) => {
    ctx.log(`    terminated ${await terminateBackends(ctx, service)} session(s)`);
  },
  heal: () => undefined,
}));

/** The order service's own PostgreSQL link, through its proxy: a stall and a lost-answers partition. */
const pgNetworkFaults: Fault[] = [
  {
    name: "blackhole 10 s order->postgres",
    zeroFailures: true,
    holdMs: 10_000,
    inject: (ctx) => ctx.stack.dbProxies.order.blackhole(),
    heal: (ctx) => ctx.stack.dbProxies.order.heal(),
  },
  {
    name: "partition postgres->order (answers lost) 10 s",
    zeroFailures: true,
    holdMs: 10_000,
    inject: (ctx) => ctx.stack.dbProxies.order.partition("downstream"),
    heal: (ctx) => ctx.stack.dbProxies.order.heal(),
  },
];

const processFaults: Fault[] = [
  {
    name: "SIGKILL order-b (restarted after 5 s)",
    zeroFailures: true,
    holdMs: 5000,
    inject: (ctx) => {
      ctx.stack.process("order-b").child.kill("SIGKILL");
    },
    heal: (ctx) => ctx.stack.restart("order-b"),
  },
  {
    name: "SIGSTOP order-b 10 s, then SIGCONT",
    zeroFailures: true,
    holdMs: 10_000,
    inject: (ctx) => {
      ctx.stack.process("order-b").child.kill("SIGSTOP");
    },
    heal: (ctx) => {
      ctx.stack.process("order-b").child.kill("SIGCONT");
    },
  },
  {
    name: "NATS broker down 5 s (SIGKILL, restarted)",
    zeroFailures: true,
    holdMs: 5000,
    inject: (ctx) => ctx.stack.nats.kill(),
    heal: (ctx) => ctx.stack.nats.restart(),
  },
];

export function overload(holdMs: number): Fault {
  return {
    name: `overload 3x capacity ${holdMs / 1000} s`,
    zeroFailures: false,
    holdMs,
    rateDuringHold: (_steady, capacity) => 3 * capacity,
    inject: () => undefined,
    heal: () => undefined,
  };
}

/**
 * Every fault, in the order (overload and the Consul outage are added by the runner with
 * their durations). The consul stack's rows (`stack: "consul"`) run after the static stack's.
 */
export const ALL_FAULTS: readonly Fault[] = [
  ...PEERS.flatMap(networkFaults).sort((a, b) => order(a.name) - order(b.name)),
  ...pgFaults,
  ...pgNetworkFaults,
  ...processFaults,
  clockJump,
  canaryRollback(),
  rollingRestart,
];

// Latency first for every peer, then jitter, bandwidth, reset, blackhole, partition, silent death.
function order(name: string): number {
  const kinds = [
    "latency 50 ms",
    "latency 500 ms",
    "jitter",
    "bandwidth",
    "connections reset",
    "blackhole",
    "partition",
    "connections silently dead",
  ];
  return kinds.findIndex((k) => name.startsWith(k));
}

/** The CI subset: one of each kind, on different peers, ≤ 3 minutes with the stack's start. */
export const SHORT_FAULTS: readonly string[] = [
  "latency 500 ms order->inventory",
  "connections reset order->invoice",
  "blackhole 10 s order->fulfillment",
  "pg_terminate_backend order",
  "connections silently dead order->inventory (new ones work)",
  "SIGKILL order-b (restarted after 5 s)",
  "NATS broker down 5 s (SIGKILL, restarted)",
];
