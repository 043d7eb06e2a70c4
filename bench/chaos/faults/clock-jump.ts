import { openDatabase } from "@orderly/kit/db";
import type { Fault, FaultContext } from "./fault.ts";

const HOUR_MS = 3_600_000;

interface OrdersTable {
  orders: {
    status: string;
    status_reason: string;
    saga_phase: string;
    lease_until: Date | null;
    saga_next_attempt_at: Date;
  };
}

/**
 * Unfinished sagas whose lease or next attempt lies more than 5 minutes ahead (the suite's clock,
 * the database's host's): what a replica with a jumped clock pushed out of every other replica's reach.
 */
async function sagasPushedAhead(ctx: FaultContext): Promise<{ leased: number; deferred: number }> {
  const orders = await openDatabase<OrdersTable>({
    url: ctx.stack.databases.urls.order as string,
    poolSize: 1,
  });
  try {
    const ahead = new Date(Date.now() + 5 * 60_000);
    const row = await orders.db
      .selectFrom("orders")
      .select((eb) => [
        eb.fn.countAll<string>().filterWhere("lease_until", ">", ahead).as("leased"),
        eb.fn.countAll<string>().filterWhere("saga_next_attempt_at", ">", ahead).as("deferred"),
      ])
      .where("saga_phase", "<>", "DONE")
      .executeTakeFirstOrThrow();
    return { leased: Number(row.leased), deferred: Number(row.deferred) };
  } finally {
    await orders.close();
  }
}

/** Orders that ended FAILED, by reason ("" when none): a clock must not fail an order. */
async function failedByReason(ctx: FaultContext): Promise<string> {
  const orders = await openDatabase<OrdersTable>({
    url: ctx.stack.databases.urls.order as string,
    poolSize: 1,
  });
  try {
    const rows = await orders.db
      .selectFrom("orders")
      .select((eb) => ["status_reason", eb.fn.countAll<string>().as("n")])
      .where("status", "=", "FAILED")
      .groupBy("status_reason")
      .execute();
    return rows.map((r) => `${r.n} ${r.status_reason || "(no reason)"}`).join(", ");
  } finally {
    await orders.close();
  }
}

/**
 * The saga worker's host clock jumps an hour ahead: order-b restarts (SIGTERM) with
 * ORDERLY_CLOCK_OFFSET_MS=+1 h, runs so under load for the hold, and restarts with its clock
 * right again. Its leases and retry times are an hour off meanwhile: it sees every lease of
 * order-a as lapsed, and what it leases or defers looks an hour away to order-a. Goals: no
 * invariant violation, nothing stuck, and (the step calls/order column) no saga step run twice.
 */
let failedBefore = "";

export const clockJump: Fault = {
  name: "clock jump +1 h on order-b (restarted with it for 10 s, then without)",
  zeroFailures: true,
  holdMs: 10_000,
  inject: async (ctx) => {
    failedBefore = await failedByReason(ctx);
    await ctx.stack.process("order-b").stop(15_000);
    await ctx.stack.restart("order-b", { ORDERLY_CLOCK_OFFSET_MS: String(HOUR_MS) });
  },
  heal: async (ctx) => {
    const during = await sagasPushedAhead(ctx);
    await ctx.stack.process("order-b").stop(15_000);
    const stopped = await sagasPushedAhead(ctx);
    await ctx.stack.restart("order-b");
    ctx.note(
      `FAILED orders by reason before the jump: ${failedBefore || "none"}; after it: ${(await failedByReason(ctx)) || "none"}`,
    );
    ctx.note(
      `unfinished sagas leased / deferred > 5 min ahead: ${during.leased} / ${during.deferred} at the end of the jump, ${stopped.leased} / ${stopped.deferred} once order-b had stopped`,
    );
  },
};
